package io.teachtrack.operator.mysql;

import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.model.CredentialGenerator;
import io.teachtrack.operator.model.MysqlRole;
import io.teachtrack.operator.testing.MariaDbServer;
import io.teachtrack.operator.testing.RepoPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Database tier: real MariaDB servers on loopback — one primary, two replicas, a third added later — driven by
 * the operator's replication coordinator exactly as a reconcile drives it: one pass over all servers at a time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbReplicationIT {

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final CredentialGenerator GENERATOR = new CredentialGenerator();
    private static final DatabaseCredentials CREDENTIALS =
            new DatabaseCredentials(GENERATOR.password(), GENERATOR.password(), GENERATOR.password());
    private static final ReplicationCoordinator COORDINATOR = new ReplicationCoordinator(new MariaDbDialect());
    private static final List<String> LOGGED = new ArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (LOGGED) {
                LOGGED.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters())
                        + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private static Path base;
    private static MariaDbServer primary;
    private static final List<MariaDbServer> replicas = new ArrayList<>();

    @BeforeAll
    static void startServers() throws Exception {
        java.util.logging.Logger.getLogger("").addHandler(CAPTURE);
        java.util.logging.Logger.getLogger("io.teachtrack").setLevel(java.util.logging.Level.ALL);
        base = RepoPaths.root().resolve("operator/target/mariadb-it");
        deleteRecursively(base);
        Files.createDirectories(base);
        primary = new MariaDbServer(base, "primary-0", MysqlRole.PRIMARY, 0, CREDENTIALS.rootPassword()).start();
        for (int i = 0; i < 2; i++) {
            replicas.add(new MariaDbServer(base, "replica-" + i, MysqlRole.REPLICA, i, CREDENTIALS.rootPassword()).start());
        }
    }

    @AfterAll
    static void stopServers() {
        java.util.logging.Logger.getLogger("").removeHandler(CAPTURE);
        replicas.forEach(MariaDbServer::close);
        if (primary != null) {
            primary.close();
        }
    }

    @Test
    @Order(0)
    void bootstrapFromNothing() throws Exception {
        long start = System.nanoTime();
        awaitAllRunning();
        System.out.printf("[figure] bootstrap of 1 primary + 2 replicas to all replicating: %d ms%n",
                (System.nanoTime() - start) / 1_000_000);

        try (SqlSession p = primary.connect()) {
            assertThat(p.query("SHOW GRANTS FOR 'teachtrack_repl'@'%'")).extracting(r -> r.values().iterator().next().toString())
                    .allSatisfy(g -> assertThat(g).containsAnyOf("REPLICATION SLAVE", "USAGE"))
                    .noneSatisfy(g -> assertThat(g).contains("ALL PRIVILEGES"));
            assertThat(p.query("SHOW GRANTS FOR 'teachtrack'@'%'")).extracting(r -> r.values().iterator().next().toString())
                    .allSatisfy(g -> assertThat(g).matches("GRANT (USAGE ON \\*\\.\\*|.* ON `teachtrack`\\.\\*) TO .*"));
        }
        for (MariaDbServer replica : replicas) {
            try (SqlSession r = replica.connect()) {
                assertThat(r.queryLong("SELECT @@GLOBAL.read_only")).as(replica.name() + " read-only").isEqualTo(1);
                assertThat(r.queryRow("SHOW SLAVE STATUS")).containsEntry("Using_Gtid", "Slave_Pos");
            }
        }
    }

    @Test
    @Order(1)
    void dataWrittenOnThePrimaryAppearsOnBothReplicas() throws Exception {
        try (SqlSession app = primary.connect("teachtrack", CREDENTIALS.appPassword())) {
            app.execute("CREATE TABLE teachtrack.subjects (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL)");
            app.execute("INSERT INTO teachtrack.subjects (name) VALUES (?)", "Mathematics");
            app.execute("INSERT INTO teachtrack.subjects (name) VALUES (?)", "O'Brien's \\ history");
        }
        for (MariaDbServer replica : replicas) {
            await().atMost(Duration.ofSeconds(20)).until(() -> count(replica, "teachtrack.subjects") == 2);
            try (SqlSession r = replica.connect()) {
                assertThat(r.queryString("SELECT name FROM teachtrack.subjects WHERE id = 2")).isEqualTo("O'Brien's \\ history");
            }
        }
    }

    @Test
    @Order(2)
    void replicasRejectWritesFromTheAppUser() {
        for (MariaDbServer replica : replicas) {
            assertThatThrownBy(() -> {
                try (SqlSession app = replica.connect("teachtrack", CREDENTIALS.appPassword())) {
                    app.execute("INSERT INTO teachtrack.subjects (name) VALUES (?)", "written on a replica");
                }
            }).isInstanceOf(SQLException.class).hasMessageContaining("read-only");
        }
    }

    @Test
    @Order(3)
    void aSecondBootstrapChangesNothing() throws Exception {
        Map<String, String> before = gtidStates();
        try (SqlSession p = primary.connect()) {
            assertThat(COORDINATOR.ensurePrimary(p, CREDENTIALS)).as("primary needed no change").isFalse();
        }
        assertThat(pass()).allSatisfy(s -> assertThat(s.getState()).isEqualTo(ReplicaStates.RUNNING));
        assertThat(gtidStates()).as("no transaction written anywhere").isEqualTo(before);
    }

    @Test
    @Order(4)
    void aThirdReplicaAddedLaterCatchesUp() throws Exception {
        replicas.add(new MariaDbServer(base, "replica-2", MysqlRole.REPLICA, 2, CREDENTIALS.rootPassword()).start());
        awaitAllRunning();
        await().atMost(Duration.ofSeconds(20)).until(() -> count(replicas.get(2), "teachtrack.subjects") == 2);
    }

    @Test
    @Order(5)
    void aStoppedReplicaIsReportedAndRestarted() throws Exception {
        MariaDbServer replica = replicas.get(0);
        try (SqlSession r = replica.connect()) {
            r.execute("STOP SLAVE");
        }
        long stopped = System.nanoTime();
        ReplicaStatus reported = null;
        for (int i = 0; i < 2 && reported == null; i++) {
            sleep(POLL);
            reported = pass().stream()
                    .filter(s -> s.getName().equals(replica.name()) && s.getState().equals(ReplicaStates.STOPPED))
                    .findFirst().orElse(null);
        }
        assertThat(reported).as("reported within two poll intervals").isNotNull();
        System.out.printf("[figure] stopped replica detected after %d ms (poll interval %d ms)%n",
                (System.nanoTime() - stopped) / 1_000_000, POLL.toMillis());
        assertThat(reported.getSqlRunning()).isFalse();
        awaitAllRunning();
    }

    @Test
    @Order(6)
    void anErrantTransactionIsDetectedAndNotOverwritten() throws Exception {
        MariaDbServer replica = replicas.get(1);
        try (SqlSession r = replica.connect()) {
            // root bypasses read_only: a person writing on a replica by mistake.
            r.execute("INSERT INTO teachtrack.subjects (name) VALUES (?)", "errant");
        }
        List<ReplicaStatus> statuses = pass();
        ReplicaStatus errant = statuses.stream().filter(s -> s.getName().equals(replica.name())).findFirst().orElseThrow();
        assertThat(errant.getState()).isEqualTo(ReplicaStates.ERRANT_TRANSACTIONS);
        assertThat(errant.getLastError()).contains("0-" + replica.serverId() + "-");
        pass();
        try (SqlSession r = replica.connect()) {
            assertThat(r.queryLong("SELECT COUNT(*) FROM teachtrack.subjects WHERE name = ?", "errant"))
                    .as("the errant row is left for a person to decide").isEqualTo(1);
        }
        assertThat(statuses).filteredOn(s -> !s.getName().equals(replica.name()))
                .allSatisfy(s -> assertThat(s.getState()).isEqualTo(ReplicaStates.RUNNING));
    }

    @Test
    @Order(7)
    void aKilledReplicaIsReportedAndResumesAfterRestart() throws Exception {
        MariaDbServer replica = replicas.get(0);
        replica.kill();
        assertThat(pass()).filteredOn(s -> s.getName().equals(replica.name()))
                .singleElement().satisfies(s -> assertThat(s.getState()).isEqualTo(ReplicaStates.UNREACHABLE));
        try (SqlSession app = primary.connect("teachtrack", CREDENTIALS.appPassword())) {
            app.execute("INSERT INTO teachtrack.subjects (name) VALUES (?)", "written while replica-0 was down");
        }
        replica.start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> pass().stream()
                .filter(s -> s.getName().equals(replica.name())).allMatch(s -> s.getState().equals(ReplicaStates.RUNNING)));
        await().atMost(Duration.ofSeconds(20)).until(() -> count(replica, "teachtrack.subjects") == 3);
    }

    @Test
    @Order(8)
    void aReplicaThatLostItsConfigurationIsReconfigured() throws Exception {
        MariaDbServer replica = replicas.get(2);
        try (SqlSession r = replica.connect()) {
            r.execute("STOP SLAVE");
            r.execute("RESET SLAVE ALL");
            assertThat(r.queryRow("SHOW SLAVE STATUS")).isNull();
        }
        assertThat(pass()).filteredOn(s -> s.getName().equals(replica.name()))
                .singleElement().satisfies(s -> assertThat(s.getState()).isIn(ReplicaStates.CONNECTING, ReplicaStates.RUNNING));
        await().atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> pass().stream()
                .filter(s -> s.getName().equals(replica.name())).allMatch(s -> s.getState().equals(ReplicaStates.RUNNING)));
        try (SqlSession app = primary.connect("teachtrack", CREDENTIALS.appPassword())) {
            app.execute("INSERT INTO teachtrack.subjects (name) VALUES (?)", "after reconfiguration");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> count(replica, "teachtrack.subjects") == 4);
    }

    @Test
    @Order(9)
    void lagUnderABurstOfTenThousandInserts() throws Exception {
        MariaDbServer replica = replicas.get(2);
        List<Long> lags = new ArrayList<>();
        Thread sampler = Thread.ofVirtual().start(() -> {
            try (SqlSession r = replica.connect()) {
                while (!Thread.currentThread().isInterrupted()) {
                    Object behind = r.queryRow("SHOW SLAVE STATUS").get("Seconds_Behind_Master");
                    synchronized (lags) {
                        lags.add(behind == null ? -1L : Long.parseLong(behind.toString()));
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        long start = System.nanoTime();
        try (SqlSession app = primary.connect("teachtrack", CREDENTIALS.appPassword())) {
            app.execute("CREATE TABLE teachtrack.attendance (id BIGINT AUTO_INCREMENT PRIMARY KEY, student BIGINT, present BOOLEAN)");
            for (int i = 0; i < 10_000; i++) {
                app.execute("INSERT INTO teachtrack.attendance (student, present) VALUES (?, ?)", i, i % 7 != 0);
            }
        }
        long written = System.nanoTime();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> count(replica, "teachtrack.attendance") == 10_000);
        long caughtUp = System.nanoTime();
        sampler.interrupt();
        sampler.join();
        List<Long> sorted;
        synchronized (lags) {
            sorted = lags.stream().filter(l -> l >= 0).sorted().toList();
        }
        assertThat(sorted).isNotEmpty();
        System.out.printf("[figure] 10,000 single-row inserts: written in %d ms, last replica caught up %d ms later;"
                        + " Seconds_Behind_Master p50 %d s, max %d s over %d samples%n",
                (written - start) / 1_000_000, (caughtUp - written) / 1_000_000,
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), sorted.size());
    }

    @Test
    @Order(10)
    void aReplicaThatNeedsPurgedBinaryLogsIsReportedAsNeedingSeeding() throws Exception {
        try (SqlSession p = primary.connect()) {
            String first = p.queryString("SHOW BINARY LOGS");
            p.execute("FLUSH BINARY LOGS");
            // MariaDB keeps a log until InnoDB's binlog checkpoint has moved past it.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                p.execute("PURGE BINARY LOGS TO ?", p.queryString("SHOW MASTER STATUS"));
                return !p.queryString("SHOW BINARY LOGS").equals(first);
            });
        }
        MariaDbServer late = new MariaDbServer(base, "replica-3", MysqlRole.REPLICA, 3, CREDENTIALS.rootPassword()).start();
        replicas.add(late);
        await().atMost(Duration.ofSeconds(30)).pollInterval(POLL).ignoreExceptions().until(() -> pass().stream()
                .anyMatch(s -> s.getName().equals(late.name()) && s.getState().equals(ReplicaStates.NEEDS_SEEDING)));
        ReplicaStatus status = pass().stream().filter(s -> s.getName().equals(late.name())).findFirst().orElseThrow();
        assertThat(status.getLastError()).contains("must be seeded");
        replicas.remove(late);
        late.close();
    }

    @Test
    @Order(11)
    void noPasswordEverReachedTheLog() {
        List<String> logged;
        synchronized (LOGGED) {
            logged = List.copyOf(LOGGED);
        }
        assertThat(logged).as("the coordinator logged its work").anyMatch(l -> l.contains("bootstrapped"));
        for (String password : List.of(CREDENTIALS.rootPassword(), CREDENTIALS.appPassword(), CREDENTIALS.replicationPassword())) {
            assertThat(logged).noneMatch(line -> line.contains(password));
        }
    }

    // --- one reconcile pass, as the operator runs it ---

    private static List<ReplicaStatus> pass() throws SQLException {
        List<ReplicaStatus> statuses = new ArrayList<>();
        try (SqlSession p = primary.connect()) {
            COORDINATOR.ensurePrimary(p, CREDENTIALS);
            for (MariaDbServer replica : replicas) {
                try (SqlSession r = replica.connect()) {
                    statuses.add(COORDINATOR.reconcileReplica(replica.name(), p, r, "127.0.0.1", primary.port(), CREDENTIALS));
                } catch (SQLException e) {
                    statuses.add(ReplicationCoordinator.unreachable(replica.name(), e.getMessage()));
                }
            }
        }
        return statuses;
    }

    private static void awaitAllRunning() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> pass().stream()
                .allMatch(s -> s.getState().equals(ReplicaStates.RUNNING)));
    }

    private static long count(MariaDbServer server, String table) throws SQLException {
        try (SqlSession s = server.connect()) {
            return s.queryLong("SELECT COUNT(*) FROM " + table);
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146) {
                return -1; // the table has not arrived yet
            }
            throw e;
        }
    }

    private static Map<String, String> gtidStates() throws SQLException {
        Map<String, String> states = new java.util.TreeMap<>();
        for (MariaDbServer server : Stream.concat(Stream.of(primary), replicas.stream()).toList()) {
            try (SqlSession s = server.connect()) {
                states.put(server.name(), s.queryString("SELECT @@GLOBAL.gtid_binlog_state"));
            }
        }
        return states;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
