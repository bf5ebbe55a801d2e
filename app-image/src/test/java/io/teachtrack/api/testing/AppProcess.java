package io.teachtrack.api.testing;

import io.teachtrack.testkit.QuarkusJar;
import io.teachtrack.testkit.RedisServer;
import io.teachtrack.testkit.ReplicatedDatabases;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged app ({@code target/quarkus-app/quarkus-run.jar}) as its own process, configured only through the
 * environment, as in a pod. Lets tests kill, freeze or stop it like Kubernetes would.
 */
public final class AppProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();

    private final QuarkusJar process;

    private AppProcess(String name, Map<String, String> environment, Path dir, String heap) {
        this.process = QuarkusJar.start(name, JAR, List.of(heap), environment, dir.resolve(name + ".log"));
    }

    /** The operator's environment contract for a pod of this role, pointing at the given servers. */
    public static Map<String, String> podEnvironment(String role, String primaryUrl, String replicaUrl, RedisServer redis) {
        Map<String, String> env = new HashMap<>();
        env.put("TEACHTRACK_ROLE", role);
        env.put("TEACHTRACK_DB_PRIMARY_URL", primaryUrl);
        if (replicaUrl != null) {
            env.put("TEACHTRACK_DB_REPLICA_URL", replicaUrl);
        }
        if (redis != null) {
            env.put("TEACHTRACK_REDIS_URL", redis.url());
            env.put("TEACHTRACK_REDIS_PASSWORD", redis.password());
        }
        env.put("TEACHTRACK_DB_USER", ReplicatedDatabases.APP_USER);
        env.put("TEACHTRACK_DB_PASSWORD", ReplicatedDatabases.APP_PASSWORD);
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
        process.awaitHttp(path, status, timeout);
        return this;
    }

    public String baseUrl() {
        return process.baseUrl();
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return process.name();
    }

    public String log() {
        return process.log();
    }

    public void signal(String signal) {
        process.signal(signal);
    }

    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.awaitExit(timeout);
    }

    public int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() {
        process.close();
    }
}
