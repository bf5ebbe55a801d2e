package io.teachtrack.api.testing;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged app ({@code target/quarkus-app/quarkus-run.jar}) as its own process, configured only through the
 * environment, as in a pod. Lets tests kill, freeze or stop it like Kubernetes would.
 */
public final class AppProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private AppProcess(String name, Map<String, String> environment, Path dir, String heap) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the tests through Maven's verify phase");
        }
        this.name = name;
        this.port = LocalProcess.freePort();
        this.log = dir.resolve(name + ".log");
        try {
            Files.createDirectories(dir);
            ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    heap, "-jar", JAR.toString()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            builder.environment().put("HOSTNAME", name);
            this.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The operator's environment contract for a pod of this role, pointing at the given servers. */
    public static Map<String, String> podEnvironment(String role, String primaryUrl, String replicaUrl, String redisUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("TEACHTRACK_ROLE", role);
        env.put("TEACHTRACK_DB_PRIMARY_URL", primaryUrl);
        if (replicaUrl != null) {
            env.put("TEACHTRACK_DB_REPLICA_URL", replicaUrl);
        }
        if (redisUrl != null) {
            env.put("TEACHTRACK_REDIS_URL", redisUrl);
        }
        env.put("TEACHTRACK_DB_USER", ReplicatedMariaDb.APP_USER);
        env.put("TEACHTRACK_DB_PASSWORD", ReplicatedMariaDb.APP_PASSWORD);
        env.put("TEACHTRACK_CACHE_TTL_SECONDS", "60");
        env.put("TEACHTRACK_READ_MAX_LAG_SECONDS", "2");
        env.put("TEACHTRACK_JWT_PUBLIC_KEY", TestKeys.publicPem(TestKeys.PAIR));
        env.put("TEACHTRACK_JWT_PRIVATE_KEY", TestKeys.privatePem(TestKeys.PAIR));
        env.put("TEACHTRACK_ADMIN_PASSWORD", Platform.ADMIN_PASSWORD);
        return env;
    }

    public static AppProcess start(String name, Map<String, String> environment, Path dir) {
        return new AppProcess(name, environment, dir, "-Xmx256m");
    }

    public static AppProcess start(String name, Map<String, String> environment, Path dir, String heap) {
        return new AppProcess(name, environment, dir, heap);
    }

    /** Waits until the process answers on the given health endpoint with the given status. */
    public AppProcess awaitHealth(String path, int status, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited; see " + log);
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == status) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            LocalProcess.pause(200);
        }
        throw new IllegalStateException(name + " did not answer " + status + " on " + path + " in " + timeout + "; see " + log);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String name() {
        return name;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void signal(String signal) {
        LocalProcess.signal(process, signal);
    }

    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            LocalProcess.signal(process, "CONT");
        }
        process.destroyForcibly();
    }
}
