package io.tidemark.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** replica/Dockerfile, which the replica service builds its image from, agrees with the task. */
class ReplicaDockerfileTest {
    static final Path DOCKERFILE = Path.of(ClusterProps.DEFAULT_REPLICA_DIR, "Dockerfile");

    @Test
    void dockerfile_runsTheReplicaJar_onJava21_onThePortTheTaskChecks() throws IOException {
        String d = Files.readString(DOCKERFILE);
        assertThat(d).containsPattern("(?m)^FROM eclipse-temurin:21-jre")
                .contains("COPY target/tidemark.jar /app/tidemark.jar")
                .contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/tidemark.jar\", \"replica\"]")
                .contains("CMD [\"--config\", \"/etc/tidemark/tidemark.toml\"]")
                .contains("EXPOSE " + ReplicaService.PORT)
                .contains("CMD " + ReplicaService.HEALTH_COMMAND);
    }
}
