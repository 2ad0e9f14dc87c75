package io.tidemark.functions;

import io.tidemark.core.build.BuilderJvm;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One handler of the packaged {@code target/tidemark-functions.jar} under AWS's Runtime Interface
 * Emulator ({@code .tools/bin/aws-lambda-rie}, built by {@code scripts/ensure-lambda-rie.sh}), run the
 * way the AWS Java base image runs it: {@code java -cp <runtime client>:<function jar>
 * com.amazonaws.services.lambda.runtime.api.client.AWSLambda <handler>}. Invoked over the emulator's
 * HTTP API; a missing emulator or jar, or one that does not answer, is a loud failure.
 */
final class LambdaRuntimeProcess implements AutoCloseable {
    static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final URI invocations;
    final Path log;

    private LambdaRuntimeProcess(Process process, URI invocations, Path log) {
        this.process = process;
        this.invocations = invocations;
        this.log = log;
    }

    /** Starts the emulator for one handler ({@code pkg.Class::handleRequest}) with this environment. */
    static LambdaRuntimeProcess start(String handler, Map<String, String> env, Path logDir) throws IOException {
        Path rie = emulator();
        Path jar = functionsJar();
        int port = freePort();
        int apiPort = freePort();
        String name = handler.substring(handler.lastIndexOf('.') + 1, handler.indexOf("::"));
        Path log = logDir.resolve("rie-" + name + "-" + port + ".log");
        Files.createDirectories(logDir);
        List<String> cmd = new ArrayList<>(List.of(rie.toString(),
                "--runtime-interface-emulator-address", "127.0.0.1:" + port,
                "--runtime-api-address", "127.0.0.1:" + apiPort,
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // The flags Lambda's java runtimes start with, unless the function sets JAVA_TOOL_OPTIONS (which,
        // as AWS documents it, is how a function changes the tiered-compilation level), and a small
        // heap: several of these run at once.
        if (!env.containsKey("JAVA_TOOL_OPTIONS")) {
            cmd.addAll(BuilderJvm.LAMBDA_DEFAULTS);
        }
        cmd.addAll(List.of("-Xmx384m", "-Djava.io.tmpdir=" + logDir.toAbsolutePath(),
                "-cp", runtimeClientPath() + java.io.File.pathSeparator + jar, RIC_MAIN, handler));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("AWS_LAMBDA_FUNCTION_NAME", "tidemark-it-" + name);
        pb.environment().put("AWS_LAMBDA_FUNCTION_TIMEOUT", "120");
        // Lambda sets it (on-demand, provisioned-concurrency or snap-start); the emulator does not, and
        // Powertools' cold_start reads it.
        pb.environment().put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        Process p = pb.start();
        URI uri = URI.create("http://127.0.0.1:" + port + "/2015-03-31/functions/function/invocations");
        awaitListening(p, port, log);
        return new LambdaRuntimeProcess(p, uri, log);
    }

    /** One invocation: the event's JSON in, the handler's JSON out (an error document on failure). */
    String invoke(String eventJson) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(invocations).timeout(Duration.ofSeconds(150))
                .POST(HttpRequest.BodyPublishers.ofString(eventJson)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("aws-lambda-rie answered " + r.statusCode() + ": " + r.body() + "; see " + log);
        }
        return r.body();
    }

    /** One invocation whatever the status: the emulator's body (the runtime's error document on a failure). */
    String invokeRaw(String eventJson) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(invocations).timeout(Duration.ofSeconds(150))
                .POST(HttpRequest.BodyPublishers.ofString(eventJson)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** {@code .tools/bin/aws-lambda-rie} of the enclosing checkout (or on PATH), or a loud failure. */
    static Path emulator() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("scripts/ensure-lambda-rie.sh"))) {
                Path bin = d.resolve(".tools/bin/aws-lambda-rie");
                if (Files.isExecutable(bin)) {
                    return bin;
                }
                throw new IllegalStateException("aws-lambda-rie is not installed at " + bin + ": run "
                        + d.resolve("scripts/ensure-lambda-rie.sh") + " (./test does this for you)");
            }
        }
        throw new IllegalStateException("cannot find the checkout (scripts/ensure-lambda-rie.sh) above "
                + Path.of("").toAbsolutePath() + " to locate .tools/bin/aws-lambda-rie");
    }

    /** The deployable artifact; the IT runs after {@code package}, so it must be there. */
    static Path functionsJar() {
        for (Path p : List.of(Path.of("target/tidemark-functions.jar"), Path.of("functions/target/tidemark-functions.jar"))) {
            if (Files.exists(p)) {
                return p.toAbsolutePath();
            }
        }
        throw new IllegalStateException("target/tidemark-functions.jar is missing: run `mvn -pl functions -am verify`"
                + " (the IT runs after package)");
    }

    /**
     * What the base image has in /var/runtime/lib: the runtime interface client and the serialization
     * it uses, taken from this test's classpath (test-scoped in the pom, not in the function jar).
     */
    static String runtimeClientPath() {
        List<String> jars = new ArrayList<>();
        for (String cls : List.of(RIC_MAIN, "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
                "software.amazon.awssdk.utilslite.SdkInternalThreadLocal")) {
            try {
                jars.add(Path.of(Class.forName(cls).getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (ClassNotFoundException | URISyntaxException e) {
                throw new IllegalStateException("the runtime interface client's " + cls + " is not on the test classpath", e);
            }
        }
        return String.join(java.io.File.pathSeparator, jars);
    }

    private static void awaitListening(Process p, int port, Path log) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("aws-lambda-rie exited with " + p.exitValue() + "; see " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting aws-lambda-rie", e);
                }
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("aws-lambda-rie did not listen on port " + port + " within 15 s; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
