package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.fixtures.nats.NatsServerProcess;
import io.tidemark.fixtures.workload.WorkloadSchema;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a nats-server that requires TLS with client certificates, from HarmonyLite's config keys. */
class NatsTlsIT {
    @TempDir
    static Path dir;
    static Process server;
    static int port;

    @BeforeAll
    static void startTlsServer() throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=tidemark-test-ca", "-keyout", "ca.key", "-out", "ca.pem");
        for (String name : List.of("server", "client")) {
            openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj",
                    "/CN=" + name, "-keyout", name + ".key", "-out", name + ".csr");
            Files.writeString(dir.resolve(name + ".ext"), name.equals("server")
                    ? "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n" : "extendedKeyUsage=clientAuth\n");
            openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-days", "2", "-extfile", name + ".ext", "-out", name + ".pem");
        }
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = new ProcessBuilder(NatsServerProcess.binary(), "-js", "-a", "127.0.0.1", "-p", String.valueOf(port),
                "-sd", dir.resolve("js").toString(), "--tls", "--tlscert", dir.resolve("server.pem").toString(),
                "--tlskey", dir.resolve("server.key").toString(), "--tlscacert", dir.resolve("ca.pem").toString(),
                "--tlsverify").redirectErrorStream(true)
                .redirectOutput(dir.resolve("nats-server.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                break;
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("nats-server with TLS did not start: "
                            + Files.readString(dir.resolve("nats-server.log")));
                }
                Thread.sleep(100);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void seedsOverTls_withTheConfigsCaCertAndKey_andFailsPlainlyWithoutTheClientCertificate() throws Exception {
        Path schema = Files.writeString(dir.resolve("schema.sql"), WorkloadSchema.SQL);
        Path config = Files.writeString(dir.resolve("tidemark.toml"), String.join("\n", "[nats]",
                "urls = [\"nats://127.0.0.1:" + port + "\"]", "ca_file = \"ca.pem\"", "cert_file = \"client.pem\"",
                "key_file = \"client.key\"", "[snapshot]", "store = \"file\"", "[snapshot.file]", "path = \"store\"", ""));
        CliRun seed = CliRun.of("snapshot", "seed", "--schema", schema.toString(), "--config", config.toString(),
                "--stream-prefix", "tls");
        assertThat(seed.code()).as(seed.err()).isZero();
        assertThat(seed.out()).contains("seeded");

        CliRun noCert = CliRun.of("snapshot", "seed", "--schema", schema.toString(), "--nats-url",
                "nats://127.0.0.1:" + port, "--nats-ca", dir.resolve("ca.pem").toString(), "--stream-prefix", "tls2",
                "--store", dir.resolve("store2").toString());
        assertThat(noCert.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(noCert.err()).startsWith("tidemark: failed: cannot connect to NATS")
                .doesNotContainPattern("[A-Z][a-zA-Z]+Exception");
    }

    @Test
    void aKeyThatIsNotPkcs8_isBadInput_sayingHowToConvertIt() throws Exception {
        Path rsaTraditional = Files.writeString(dir.resolve("old.key"),
                "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        CliRun r = CliRun.of("snapshot", "list", "--store", "nats:x", "--nats-url", "nats://127.0.0.1:" + port,
                "--nats-ca", dir.resolve("ca.pem").toString(), "--nats-cert", dir.resolve("client.pem").toString(),
                "--nats-key", rsaTraditional.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("not an unencrypted PKCS#8 PEM key").contains("openssl pkcs8 -topk8");
    }

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
    }
}
