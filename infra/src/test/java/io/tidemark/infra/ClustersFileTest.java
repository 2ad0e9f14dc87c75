package io.tidemark.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clusters file the app reads: the example parses, mistakes are errors that say where. */
class ClustersFileTest {
    @TempDir
    Path dir;

    Path write(String json) throws IOException {
        return Files.writeString(dir.resolve("clusters.json"), json);
    }

    @Test
    void theExampleFile_parses() {
        ClustersFile.Deployment d = ClustersFile.read(Path.of("clusters.example.json"), Set.of());
        assertThat(d.stackName()).isEqualTo("Tidemark");
        assertThat(d.props().region()).isEqualTo("us-east-1");
        assertThat(d.props().clusters()).extracting(ClusterProps::name).containsExactly("harmonylite", "orders");
        ClusterProps h = d.props().clusters().get(0);
        assertThat(h.compress()).isTrue();
        assertThat(h.network().needsLookup()).isFalse(); // zones and subnets given: `cdk synth` works offline
        assertThat(h.alertEmail()).isEqualTo("oncall@example.com");
    }

    @Test
    void only_keepsTheNamedClusters_andRejectsAnUnknownOne() {
        assertThat(ClustersFile.read(Path.of("clusters.example.json"), Set.of("orders")).props().clusters())
                .extracting(ClusterProps::name).containsExactly("orders");
        assertThatThrownBy(() -> ClustersFile.read(Path.of("clusters.example.json"), Set.of("nope")))
                .hasMessageContaining("cluster nope (tidemark:only) is not in the file");
        assertThat(TidemarkApp.names(" a, b,,c ")).containsExactly("a", "b", "c");
        assertThat(TidemarkApp.names("")).isEmpty();
    }

    @Test
    void aMisspeltField_isAnError_notADefault() throws IOException {
        Path f = write("{\"clusters\": [{\"name\": \"c\", \"treshold\": 10}]}");
        assertThatThrownBy(() -> ClustersFile.read(f, Set.of())).hasMessageContaining("clusters.json")
                .hasMessageContaining("treshold");
    }

    @Test
    void aBadValue_namesTheFileAndCluster() throws IOException {
        Path f = write("{\"clusters\": [{\"name\": \"c\", \"threshold\": 9000, \"emergency\": 10}]}");
        assertThatThrownBy(() -> ClustersFile.read(f, Set.of())).hasMessageContaining("clusters.json: cluster c: emergency");
        Path g = write("{\"clusters\": [{\"name\": \"c\", \"functions\": {\"bulid\": {\"memoryMb\": 512}}}]}");
        assertThatThrownBy(() -> ClustersFile.read(g, Set.of())).hasMessageContaining("functions.bulid");
    }

    @Test
    void aMissingFileOrClusterList_saysWhatToDo() throws IOException {
        assertThatThrownBy(() -> ClustersFile.read(dir.resolve("none.json"), Set.of()))
                .hasMessageContaining("copy clusters.example.json to clusters.json");
        Path f = write("{\"region\": \"us-east-1\"}");
        assertThatThrownBy(() -> ClustersFile.read(f, Set.of())).hasMessageContaining("\"clusters\" is missing");
    }
}
