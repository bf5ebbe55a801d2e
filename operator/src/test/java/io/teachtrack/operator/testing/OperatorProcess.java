package io.teachtrack.operator.testing;

import io.teachtrack.testkit.QuarkusJar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged operator ({@code operator/target/quarkus-app/quarkus-run.jar}) as a real process against the
 * local cluster, watching one namespace. It can be stopped and started again, like a restarted pod.
 */
public final class OperatorProcess implements AutoCloseable {

    public static final String USER_AGENT = "teachtrack-operator-under-test";

    private final String namespace;
    private final Map<String, String> extraEnv;
    private final Path log;
    private QuarkusJar process;

    public OperatorProcess(String namespace, Map<String, String> extraEnv) {
        this.namespace = namespace;
        this.extraEnv = extraEnv;
        this.log = OperatorFiles.root().resolve("operator/target/operator-" + namespace + ".log");
    }

    public OperatorProcess start() {
        Map<String, String> env = new HashMap<>();
        env.put("KUBECONFIG", KwokCluster.CLUSTER.kubeconfig().toString());
        env.put("KUBERNETES_USER_AGENT", USER_AGENT);
        env.put("QUARKUS_OPERATOR_SDK_CONTROLLERS_TEACHTRACK_NAMESPACES", namespace);
        env.putAll(extraEnv);
        process = QuarkusJar.start("operator-" + namespace, OperatorFiles.root().resolve("operator/target/quarkus-app/quarkus-run.jar"),
                List.of(), env, log).awaitHttp("/q/health/ready", 200, Duration.ofSeconds(60));
        return this;
    }

    public void stop() {
        if (process != null) {
            process.stop();
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
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(process.baseUrl() + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sum of a Prometheus counter over all its label sets (0 when it was not registered yet). */
    public double counter(String name) {
        return PrometheusText.sum(metrics(), name, "");
    }

    public Path logFile() {
        return log;
    }

    /** Everything every start of the operator logged (they append to one file). */
    public String log() {
        if (process == null) {
            throw new IllegalStateException("the operator was never started");
        }
        return process.log();
    }

    @Override
    public void close() {
        stop();
    }
}
