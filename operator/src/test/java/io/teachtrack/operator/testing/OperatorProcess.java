package io.teachtrack.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator ({@code operator/target/quarkus-app/quarkus-run.jar}) as a real process against the
 * local cluster, watching one namespace. It can be stopped and started again, like a restarted pod.
 */
public final class OperatorProcess implements AutoCloseable {

    public static final String USER_AGENT = "teachtrack-operator-under-test";

    private final String namespace;
    private final Map<String, String> extraEnv;
    private final Path log;
    private final int port;
    private Process process;

    public OperatorProcess(String namespace, Map<String, String> extraEnv) {
        this.namespace = namespace;
        this.extraEnv = extraEnv;
        this.port = LocalPorts.free();
        this.log = RepoPaths.root().resolve("operator/target/operator-" + namespace + ".log");
    }

    public OperatorProcess start() {
        Path jar = RepoPaths.root().resolve("operator/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the operator is not packaged: " + jar + " (run ./mvnw package)");
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("KUBECONFIG", LocalCluster.kubeconfig().toString());
        env.put("KUBERNETES_USER_AGENT", USER_AGENT);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_OPERATOR_SDK_CONTROLLERS_TEACHTRACK_NAMESPACES", namespace);
        env.putAll(extraEnv);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
        return this;
    }

    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Resident memory of the operator's JVM (VmRSS), in MiB. */
    public long residentMemoryMiB() {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024)
                    .findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String metrics() {
        return get("/q/metrics").body();
    }

    /** Sum of a Prometheus counter over all its label sets (0 when it was not registered yet). */
    public double counter(String name) {
        return PrometheusText.sum(metrics(), name, "");
    }

    public Path logFile() {
        return log;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the operator exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // still starting
            }
            LocalPorts.pause(250);
        }
        throw new IllegalStateException("the operator did not become ready in 60s:\n" + log());
    }

    private HttpResponse<String> get(String path) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }


}
