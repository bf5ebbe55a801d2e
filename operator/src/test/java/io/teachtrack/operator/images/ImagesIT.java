package io.teachtrack.operator.images;

import io.teachtrack.operator.model.CredentialGenerator;
import io.teachtrack.operator.testing.LocalCluster;
import io.teachtrack.operator.testing.OperatorFiles;
import io.teachtrack.operator.testing.RedisProbe;
import io.teachtrack.testkit.Container;
import io.teachtrack.testkit.DatabaseEngine;
import io.teachtrack.testkit.DatabaseServer;
import io.teachtrack.testkit.Images;
import io.teachtrack.testkit.Processes;
import io.teachtrack.testkit.ReplicatedDatabases;
import io.teachtrack.testkit.TestDirectories;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every image {@code make images} builds, run as a node runs it (runc, read-only root file system, the image's own
 * numeric user, no capabilities): each starts its process as that non-root user, cannot write to its root file
 * system, and serves what its pods need. The database images also run every replication scenario.
 */
class ImagesIT {

    private static final Path DIR = OperatorFiles.root().resolve("operator/target/images-it");
    private static final Duration START = Duration.ofSeconds(120);

    @BeforeAll
    static void freshDirectory() {
        // Each database test below must find an empty volume, as a new pod does.
        TestDirectories.fresh(DIR);
    }

    @ParameterizedTest
    @EnumSource(DatabaseEngine.class)
    void databaseImagesInitialiseAnEmptyVolumeAndServeAsTheirNonRootUser(DatabaseEngine engine) throws Exception {
        try (DatabaseServer server = DatabaseServer.builder(engine, DIR.resolve(engine.image()), "school-mysql-0")
                .rootPassword(new CredentialGenerator().password()).build().start()) {
            assertRunsAsNonRootOnReadOnlyRoot(server.container(), engine.image(), 999);
            assertThat(server.queryString("SELECT @@GLOBAL.read_only")).as("starts read-only").isEqualTo("1");
            assertThat(server.log()).contains("data directory initialised").doesNotContain(server.rootPassword());
            assertThat(Images.config(engine.image()).path("Labels").path("io.teachtrack.debian.package").asText())
                    .as("the package version is recorded").startsWith(engine == DatabaseEngine.MYSQL ? "mysql-server-core=9.7" : "mariadb-server=1:11.8");
        }
    }

    @Test
    void redisImageServesAsItsNonRootUserOnlyThoseWhoKnowThePassword() throws Exception {
        int port = Processes.freePort();
        String password = new CredentialGenerator().password();
        List<String> command = new ArrayList<>(Images.defaultCommand("redis"));
        // As the operator starts it: the password on the command line, as the kubelet expands $(REDIS_PASSWORD).
        command.addAll(List.of("--requirepass", password, "--port", Integer.toString(port), "--bind", "127.0.0.1"));
        try (Container redis = new Container("redis-0", "redis", command, Map.of(), List.of(Container.Mount.tmpfs("/tmp")),
                DIR.resolve("redis.log")).start()) {
            await().atMost(START).ignoreExceptions().until(() -> RedisProbe.ping("127.0.0.1", port, null).startsWith("-NOAUTH"));
            assertThat(RedisProbe.ping("127.0.0.1", port, password)).isEqualTo("+PONG");
            assertThat(RedisProbe.ping("127.0.0.1", port, "not-the-password")).startsWith("-WRONGPASS");
            assertThat(Files.readString(Path.of("/proc", Long.toString(redis.pid()), "cmdline")))
                    .as("Redis replaces its command line with its process title: ps never shows the password")
                    .doesNotContain(password);
            assertRunsAsNonRootOnReadOnlyRoot(redis, "redis", 999);
        }
    }

    @Test
    void apiImageServesTheApiAsUid185() throws Exception {
        CredentialGenerator generator = new CredentialGenerator();
        CredentialGenerator.PemKeyPair keys = generator.rsaKeyPair();
        try (DatabaseServer primary = DatabaseServer.builder(DatabaseEngine.MARIADB, DIR.resolve("api-db"), "school-mysql-0")
                .build().start()) {
            ReplicatedDatabases.provisionApp(primary);
            int port = Processes.freePort();
            Map<String, String> env = new HashMap<>();
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("TEACHTRACK_ROLE", "api");
            env.put("TEACHTRACK_DB_PRIMARY_URL", primary.jdbcUrl(ReplicatedDatabases.DATABASE));
            env.put("TEACHTRACK_DB_USER", ReplicatedDatabases.APP_USER);
            env.put("TEACHTRACK_DB_PASSWORD", ReplicatedDatabases.APP_PASSWORD);
            env.put("TEACHTRACK_JWT_PUBLIC_KEY", keys.publicKeyPem());
            env.put("TEACHTRACK_JWT_PRIVATE_KEY", keys.privateKeyPem());
            env.put("TEACHTRACK_ADMIN_PASSWORD", generator.password());
            try (Container api = new Container("api-0", "teachtrack-api", Images.defaultCommand("teachtrack-api"), env,
                    List.of(Container.Mount.tmpfs("/tmp")), DIR.resolve("api.log")).start()) {
                awaitHttp(api, port, "/q/health/ready");
                assertRunsAsNonRootOnReadOnlyRoot(api, "teachtrack-api", 185);
                assertCachesDnsAnswersForOneSecond(api);
            }
        }
    }

    @Test
    void operatorImageRunsTheOperatorAsUid185() throws Exception {
        Path kubeconfig = Files.createDirectories(DIR.resolve("operator-config")).resolve("kubeconfig");
        Files.copy(LocalCluster.kubeconfig(), kubeconfig, StandardCopyOption.REPLACE_EXISTING);
        Files.setAttribute(kubeconfig, "unix:uid", 185);
        int port = Processes.freePort();
        String namespace = "images-it-operator";
        LocalCluster.installCrd();
        LocalCluster.ensureNamespace(namespace);
        // In one CI run, getting a connection to the API server took longer than the client's 10 s default while the
        // cold JVM opened its dozen watches; the informers failed to start and the operator exited. In a cluster the
        // kubelet restarts it; here there is one try, and what is tested is the image, not the machine's speed.
        Map<String, String> env = Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                "KUBECONFIG", "/etc/teachtrack-kube/kubeconfig",
                "QUARKUS_KUBERNETES_CLIENT_CONNECTION_TIMEOUT", "60S",
                "QUARKUS_OPERATOR_SDK_CONTROLLERS_TEACHTRACK_NAMESPACES", namespace);
        try (Container operator = new Container("operator-0", "teachtrack-operator", Images.defaultCommand("teachtrack-operator"), env,
                List.of(Container.Mount.tmpfs("/tmp"), Container.Mount.readOnly("/etc/teachtrack-kube", kubeconfig.getParent())),
                DIR.resolve("operator.log")).start()) {
            awaitHttp(operator, port, "/q/health/ready");
            assertRunsAsNonRootOnReadOnlyRoot(operator, "teachtrack-operator", 185);
            assertCachesDnsAnswersForOneSecond(operator);
        }
    }

    /**
     * A re-created pod keeps its name but not its address: with the JDK's 30 s DNS cache the JVM kept connecting to a
     * MySQL pod's old address (B5, pod deleted). The running JVM must have been started with a 1 s cache.
     */
    private static void assertCachesDnsAnswersForOneSecond(Container container) throws IOException {
        String commandLine = Files.readString(Path.of("/proc", Long.toString(container.pid()), "cmdline"));
        assertThat(commandLine.split("\0")).as("the JVM's command line").contains("-Dsun.net.inetaddr.ttl=1");
    }

    /** The container's first process runs as the image's numeric user, and nothing can write to the root file system. */
    private static void assertRunsAsNonRootOnReadOnlyRoot(Container container, String image, int uid) throws IOException {
        assertThat(Images.user(image)).as(image + "'s USER").isEqualTo(uid);
        List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(container.pid()), "status"));
        assertThat(status).filteredOn(line -> line.startsWith("Uid:")).singleElement()
                .satisfies(line -> assertThat(line.split("\\s+")).containsExactly("Uid:", "" + uid, "" + uid, "" + uid, "" + uid));
        assertThat(status).filteredOn(line -> line.startsWith("CapEff:")).singleElement()
                .satisfies(line -> assertThat(line).endsWith("0000000000000000"));
        Processes.Result write = container.exec(List.of("sh", "-c", "echo x > /usr/teachtrack-probe"));
        assertThat(write.exitCode()).as("writing to the root file system fails").isNotZero();
        assertThat(write.stderr()).contains("Read-only file system");
    }

    /**
     * Waits for the container to answer 200 on the path. A container that exits fails at once; one that never answers
     * fails with the end of its log, so a CI failure says why (the bare timeout said nothing).
     */
    private static void awaitHttp(Container container, int port, String path) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            await().atMost(START).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .failFast(container.id() + " exited", () -> !container.isRunning())
                    .until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(container.id() + " did not answer 200 on " + path + " (port " + port + "): " + e.getMessage()
                    + "\n" + container.tail(60), e);
        }
    }
}
