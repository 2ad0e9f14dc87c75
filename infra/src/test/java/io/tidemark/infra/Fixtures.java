package io.tidemark.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/** Stand-ins for the artifacts a stack uploads, and one place that builds an app. */
final class Fixtures {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";
    static final String VPC_ID = "vpc-0a1b2c3d4e5f60718";
    static final String SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:harmonylite-nats-AbCdEf";

    private Fixtures() {}

    /** An empty zip: Code.fromAsset only copies it. */
    static String jar() {
        Path jar = Path.of(System.getProperty("java.io.tmpdir"), "fake-tidemark-functions.jar");
        try {
            if (!Files.exists(jar)) {
                Files.write(jar, new byte[]{'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar.toString();
    }

    /** A one-line Dockerfile: synth only stages the directory, Docker builds it at deploy. */
    static String replicaDir() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "fake-replica");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.toString();
    }

    static App app(Map<String, Object> context) {
        return new App(AppProps.builder().context(context).build());
    }

    static App app() {
        return app(Map.of());
    }

    /** A map of more entries than Map.of takes: key, value, key, value... */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
