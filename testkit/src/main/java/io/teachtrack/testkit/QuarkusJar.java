package io.teachtrack.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
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

import static org.awaitility.Awaitility.await;

/**
 * A packaged Quarkus application ({@code target/quarkus-app/quarkus-run.jar}) as its own process, configured through
 * its environment as in a pod, serving HTTP on a free port. Tests can freeze, kill or stop it as Kubernetes would.
 */
public final class QuarkusJar implements AutoCloseable {

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private QuarkusJar(String name, Path jar, List<String> jvmOptions, Map<String, String> environment, Path log) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the module first (./mvnw package, or Maven's verify phase)");
        }
        this.name = name;
        this.port = Processes.freePort();
        this.log = log;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            builder.environment().putIfAbsent("HOSTNAME", name);
            this.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static QuarkusJar start(String name, Path jar, List<String> jvmOptions, Map<String, String> environment, Path log) {
        return new QuarkusJar(name, jar, jvmOptions, environment, log);
    }

    /** Waits until the process answers {@code path} with {@code status}; fails at once if it exits. */
    public QuarkusJar awaitHttp(String path, int status, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited; see " + log);
                }
                try {
                    return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == status;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (RuntimeException e) {
            throw new IllegalStateException(name + " did not answer " + status + " on " + path + " in " + timeout + "; see " + log, e);
        }
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
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

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public void signal(String signal) {
        Processes.signal(process, signal);
    }

    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** SIGTERM and wait (a pod's graceful stop), SIGKILL past 20 s. */
    public void stop() {
        if (process.isAlive()) {
            Processes.signal(process, "CONT");
        }
        Processes.stop(process);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            Processes.signal(process, "CONT");
        }
        Processes.kill(process);
    }
}
