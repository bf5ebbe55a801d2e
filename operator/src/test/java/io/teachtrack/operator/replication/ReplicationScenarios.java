package io.teachtrack.operator.replication;

import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.model.CredentialGenerator;
import io.teachtrack.operator.mysql.DatabaseCredentials;
import io.teachtrack.operator.mysql.Dialect;
import io.teachtrack.operator.mysql.SqlSession;
import io.teachtrack.operator.testing.RepeatingTask;
import io.teachtrack.testkit.DatabaseEngine;
import io.teachtrack.testkit.DatabaseServer;
import io.teachtrack.testkit.RepoPaths;
import io.teachtrack.testkit.TestDirectories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Database tier: real database servers — one primary, two replicas, a third added later — run from the images
 * {@code make images} builds, with the operator's start script and my.cnf, and driven exactly as a reconcile drives
 * them: observe every server, decide, act — one pass over all servers at a time, the role labels kept in a map as
 * the pods would carry them. One subclass per engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ReplicationScenarios {

    private static final Duration POLL = Duration.ofSeconds(1);
    /** Reconcile passes run during the insert burst; the burst lasts as long as they do. */
    private static final int BURST_PASSES = 40;
    /** Enough rows for the replicas' lag to be sampled even if the passes end early. */
    private static final int MIN_BURST_ROWS = 1_000;
    private static final CredentialGenerator GENERATOR = new CredentialGenerator();

    private final DatabaseEngine engine;
    private final Dialect dialect;
    private final DatabaseCredentials credentials =
            new DatabaseCredentials(GENERATOR.password(), GENERATOR.password(), GENERATOR.password());
    private final ReplicationHarness harness;
    /** The role label each "pod" carries, as the operator set it. */
    private final Map<String, String> labels;
    private final List<String> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(String.valueOf(record.getMessage()) + " " + Arrays.toString(record.getParameters())
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

    private Path base;
    private DatabaseServer primary;
    private final List<DatabaseServer> replicas = new ArrayList<>();

    ReplicationScenarios(DatabaseEngine engine, MysqlEngine specEngine) {
        this.engine = engine;
        this.dialect = Dialect.of(specEngine);
        // Failover has its own scenarios: here a lost primary must stay the primary.
        this.harness = new ReplicationHarness(dialect, credentials, false, Duration.ZERO);
        this.labels = harness.labels();
    }

    @BeforeAll
    void startServers() throws Exception {
        Logger.getLogger("").addHandler(capture);
        Logger.getLogger("io.teachtrack").setLevel(Level.ALL);
        base = TestDirectories.fresh(RepoPaths.root().resolve("operator/target/replication-it-" + engine.image()));
        primary = server(0).start();
        for (int i = 1; i <= 2; i++) {
            replicas.add(server(i).start());
        }
    }

    /** A server as the operator runs pod {@code ordinal} of the StatefulSet: its image, start script, my.cnf and server id. */
    private DatabaseServer server(int ordinal) {
        return DatabaseServer.builder(engine, base, "mysql-" + ordinal).rootPassword(credentials.rootPassword()).build();
    }

    @AfterAll
    void stopServers() {
        Logger.getLogger("").removeHandler(capture);
        harness.close();
        replicas.forEach(DatabaseServer::close);
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

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
            pass();
            return replicas.stream().allMatch(r -> "replica".equals(labels.get(r.name())));
        });
        assertThat(labels).as("the role labels the Services select").containsEntry(primary.name(), "primary");
        try (SqlSession p = connect(primary)) {
            assertThat(p.query("SHOW GRANTS FOR 'teachtrack_repl'@'%'")).extracting(r -> r.values().iterator().next().toString())
                    .allSatisfy(g -> assertThat(g).containsAnyOf("REPLICATION SLAVE", "USAGE"))
                    .noneSatisfy(g -> assertThat(g).contains("ALL PRIVILEGES"));
            assertThat(p.query("SHOW GRANTS FOR 'teachtrack'@'%'")).extracting(r -> r.values().iterator().next().toString())
                    .allSatisfy(g -> assertThat(g).matches("GRANT (USAGE ON \\*\\.\\*|.* ON `teachtrack`\\.\\*) TO .*"));
        }
        for (DatabaseServer replica : replicas) {
            try (SqlSession r = connect(replica)) {
                assertThat(r.queryLong(dialect.readOnlyQuery())).as(replica.name() + " read-only").isEqualTo(1);
                Map<String, Object> status = r.queryRow(dialect.replicaStatus());
                if (engine == DatabaseEngine.MYSQL) {
                    assertThat(status.get("Auto_Position").toString()).as("GTID auto-positioning").isEqualTo("1");
                } else {
                    assertThat(status).containsEntry("Using_Gtid", "Slave_Pos");
                }
            }
        }
    }

    @Test
    @Order(1)
    void dataWrittenOnThePrimaryAppearsOnBothReplicas() throws Exception {
        try (SqlSession app = connect(primary, "teachtrack", credentials.appPassword())) {
            app.execute("CREATE TABLE teachtrack.subjects (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL)");
            app.execute("INSERT INTO teachtrack.subjects (name) VALUES (?)", "Mathematics");
            app.execute("INSERT INTO teachtrack.subjects (name) VALUES (?)", "O'Brien's \\ history");
        }
        for (DatabaseServer replica : replicas) {
            await().atMost(Duration.ofSeconds(20)).until(() -> count(replica, "teachtrack.subjects") == 2);
            try (SqlSession r = connect(replica)) {
                assertThat(r.queryString("SELECT name FROM teachtrack.subjects WHERE id = 2")).isEqualTo("O'Brien's \\ history");
            }
        }
    }

    @Test
    @Order(2)
    void replicasRejectWritesFromTheAppUser() {
        for (DatabaseServer replica : replicas) {
            assertThatThrownBy(() -> {
                try (SqlSession app = connect(replica, "teachtrack", credentials.appPassword())) {
                    app.execute("INSERT INTO teachtrack.subjects (name) VALUES (?)", "written on a replica");
                }
            }).isInstanceOf(SQLException.class).hasMessageContaining("read-only");
        }
    }

    @Test
    @Order(3)
    void aSecondBootstrapChangesNothing() throws Exception {
        Map<String, String> before = gtidStates();
        ReplicationPlan plan = plan();
        assertThat(plan.actions()).as("nothing to change on a healthy cluster").isEmpty();
        assertThat(plan.replicas()).allSatisfy(s -> assertThat(s.getState()).isEqualTo(ReplicaStates.RUNNING));
        assertThat(gtidStates()).as("no transaction written anywhere").isEqualTo(before);
    }

    /**
     * A pass works on the sessions the previous pass left (a ping each) instead of logging in again: the servers count
     * no connection but the ones this test opens to read the count.
     */
    @Test
    @Order(3)
    void aPassLogsInToNoServerTheLastPassReached() throws Exception {
        plan();
        Map<String, Long> before = connectionsCounted();
        long opened = harness.sessionsOpened();
        for (int i = 0; i < 3; i++) {
            plan();
        }
        Map<String, Long> after = connectionsCounted();
        before.forEach((server, count) -> assertThat(after.get(server)).as(server + ": only the count's own connection")
                .isEqualTo(count + 1));
        assertThat(harness.sessionsOpened()).isEqualTo(opened);
        assertThat(harness.sessionsReused()).isGreaterThanOrEqualTo(3L * before.size());
    }

    /** Connections each server has accepted since it started (the reading one included). */
    private Map<String, Long> connectionsCounted() throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        for (DatabaseServer server : Stream.concat(Stream.of(primary), replicas.stream()).toList()) {
            try (SqlSession s = connect(server)) {
                counts.put(server.name(), Long.parseLong(String.valueOf(s.queryRow("SHOW GLOBAL STATUS LIKE 'Connections'").get("Value"))));
            }
        }
        return counts;
    }

    @Test
    @Order(4)
    void aThirdReplicaAddedLaterCatchesUp() throws Exception {
        replicas.add(server(3).start());
        awaitAllRunning();
        await().atMost(Duration.ofSeconds(20)).until(() -> count(replicas.get(2), "teachtrack.subjects") == 2);
    }

    @Test
    @Order(5)
    void aStoppedReplicaIsReportedAndRestarted() throws Exception {
        DatabaseServer replica = replicas.get(0);
        try (SqlSession r = connect(replica)) {
            r.execute(dialect.stopReplica());
        }
        long stopped = System.nanoTime();
        ReplicaStatus reported = null;
        for (int i = 0; i < 2 && reported == null; i++) {
            RepeatingTask.pause(POLL);
            reported = pass().stream()
                    .filter(s -> s.getName().equals(replica.name()) && s.getState().equals(ReplicaStates.STOPPED))
                    .findFirst().orElse(null);
        }
        assertThat(reported).as("reported within two poll intervals").isNotNull();
        System.out.printf("[figure] stopped replica detected after %d ms (poll interval %d ms)%n",
                (System.nanoTime() - stopped) / 1_000_000, POLL.toMillis());
        assertThat(reported.getSqlRunning()).isFalse();
        assertThat(labels.get(replica.name())).as("a stopped replica leaves the read Service").isNull();
        awaitAllRunning();
    }

    @Test
    @Order(6)
    void anErrantTransactionIsDetectedAndNotOverwritten() throws Exception {
        DatabaseServer replica = replicas.get(1);
        try (SqlSession r = connect(replica)) {
            // A person switching read-only off on a replica and writing there by mistake.
            for (String statement : dialect.makeWritable()) {
                r.execute(statement);
            }
            r.execute("INSERT INTO teachtrack.subjects (name) VALUES (?)", "errant");
        }
        List<ReplicaStatus> statuses = pass();
        ReplicaStatus errant = statuses.stream().filter(s -> s.getName().equals(replica.name())).findFirst().orElseThrow();
        assertThat(errant.getState()).isEqualTo(ReplicaStates.ERRANT_TRANSACTIONS);
        assertThat(errant.getLastError()).as("names the replica's own GTIDs").contains(ownGtidSource(replica));
        pass();
        try (SqlSession r = connect(replica)) {
            assertThat(r.queryLong("SELECT COUNT(*) FROM teachtrack.subjects WHERE name = ?", "errant"))
                    .as("the errant row is left for a person to decide").isEqualTo(1);
        }
        assertThat(statuses).filteredOn(s -> !s.getName().equals(replica.name()))
                .allSatisfy(s -> assertThat(s.getState()).isEqualTo(ReplicaStates.RUNNING));
    }

    @Test
    @Order(7)
    void aKilledReplicaIsReportedAndResumesAfterRestart() throws Exception {
        DatabaseServer replica = replicas.get(0);
        replica.kill();
        assertThat(pass()).filteredOn(s -> s.getName().equals(replica.name()))
                .singleElement().satisfies(s -> assertThat(s.getState()).isEqualTo(ReplicaStates.UNREACHABLE));
        try (SqlSession app = connect(primary, "teachtrack", credentials.appPassword())) {
            app.execute("INSERT INTO teachtrack.subjects (name) VALUES (?)", "written while replica-0 was down");
        }
        replica.start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> pass().stream()
                .filter(s -> s.getName().equals(replica.name())).allMatch(s -> s.getState().equals(ReplicaStates.RUNNING)));
        await().atMost(Duration.ofSeconds(20)).until(() -> count(replica, "teachtrack.subjects") == 3);
    }

    /**
     * A replica restarted between two passes: the session the previous pass left is dead, so the next pass finds that
     * out with its ping and logs in again in the same pass, instead of reporting a server that answers as unreachable.
     */
    @Test
    @Order(7)
    void aReplicaRestartedBetweenTwoPassesIsReachedByTheNextPass() throws Exception {
        // Replica 0: replica 1 holds an errant transaction from the scenario before.
        DatabaseServer replica = replicas.get(0);
        awaitRunning(s -> s.getName().equals(replica.name()));
        replica.kill();
        replica.start();
        assertThat(pass()).filteredOn(s -> s.getName().equals(replica.name())).singleElement()
                .satisfies(s -> assertThat(s.getState()).isNotEqualTo(ReplicaStates.UNREACHABLE));
        awaitRunning(s -> s.getName().equals(replica.name()));
    }

    @Test
    @Order(8)
    void aReplicaThatLostItsConfigurationIsReconfigured() throws Exception {
        DatabaseServer replica = replicas.get(2);
        try (SqlSession r = connect(replica)) {
            r.execute(dialect.stopReplica());
            r.execute(dialect.resetReplica());
            assertThat(r.queryRow(dialect.replicaStatus())).isNull();
        }
        assertThat(pass()).filteredOn(s -> s.getName().equals(replica.name()))
                .singleElement().satisfies(s -> assertThat(s.getState()).isIn(ReplicaStates.CONNECTING, ReplicaStates.RUNNING));
        await().atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> pass().stream()
                .filter(s -> s.getName().equals(replica.name())).allMatch(s -> s.getState().equals(ReplicaStates.RUNNING)));
        try (SqlSession app = connect(primary, "teachtrack", credentials.appPassword())) {
            app.execute("INSERT INTO teachtrack.subjects (name) VALUES (?)", "after reconfiguration");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> count(replica, "teachtrack.subjects") == 4);
    }

    @Test
    @Order(9)
    void lagUnderABurstOfTenThousandInserts() throws Exception {
        DatabaseServer replica = replicas.get(2);
        List<Long> lags = new ArrayList<>();
        Thread sampler = Thread.ofVirtual().start(() -> {
            try (SqlSession r = connect(replica)) {
                while (!Thread.currentThread().isInterrupted()) {
                    Long behind = dialect.parseReplicaStatus(r.queryRow(dialect.replicaStatus())).secondsBehind();
                    synchronized (lags) {
                        lags.add(behind == null ? -1L : behind);
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        // Reconcile passes while the primary commits a row every few milliseconds, as the operator observes a busy
        // platform: a replica that applied a row the primary committed after it was read must not look errant.
        List<String> seenStates = new ArrayList<>();
        List<Throwable> passFailures = new ArrayList<>();
        AtomicBoolean bursting = new AtomicBoolean(true);
        Thread reconciler = Thread.ofVirtual().start(() -> {
            // A bounded number of passes: each one costs four connections and a dozen queries, and the cluster tests
            // running beside need the CPU. The old read order failed within the first few.
            for (int passes = 0; passes < BURST_PASSES && bursting.get(); passes++) {
                try {
                    // Not the replica made errant on purpose earlier: it stays errant until a person decides.
                    List<String> states = pass().stream().filter(r -> !r.getName().equals(replicas.get(1).name()))
                            .map(r -> r.getName() + " " + r.getState()).toList();
                    synchronized (seenStates) {
                        seenStates.addAll(states);
                    }
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException | AssertionError e) {
                    synchronized (passFailures) {
                        passFailures.add(e);
                    }
                    return;
                }
            }
        });
        long start = System.nanoTime();
        long rows = 0;
        try (SqlSession app = connect(primary, "teachtrack", credentials.appPassword())) {
            app.execute("CREATE TABLE teachtrack.attendance (id BIGINT AUTO_INCREMENT PRIMARY KEY, student BIGINT, present BOOLEAN)");
            // The primary commits row after row for as long as the passes run, so every pass observes a busy primary.
            while (reconciler.isAlive() || rows < MIN_BURST_ROWS) {
                app.execute("INSERT INTO teachtrack.attendance (student, present) VALUES (?, ?)", rows, rows % 7 != 0);
                rows++;
            }
        }
        long written = System.nanoTime();
        bursting.set(false);
        reconciler.join();
        long inserted = rows;
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> count(replica, "teachtrack.attendance") == inserted);
        long caughtUp = System.nanoTime();
        sampler.interrupt();
        sampler.join();
        synchronized (seenStates) {
            assertThat(passFailures).as("reconcile passes during the burst").isEmpty();
            assertThat(seenStates).as("replica states seen by reconcile passes during the burst").isNotEmpty()
                    .noneMatch(state -> state.endsWith(ReplicaStates.ERRANT_TRANSACTIONS));
            System.out.printf("[figure] %d replica observations during the burst, none errant%n", seenStates.size());
        }
        List<Long> sorted;
        synchronized (lags) {
            sorted = lags.stream().filter(l -> l >= 0).sorted().toList();
        }
        assertThat(sorted).isNotEmpty();
        System.out.printf("[figure] %,d single-row inserts: written in %d ms, last replica caught up %d ms later;"
                        + " Seconds_Behind_Master p50 %d s, max %d s over %d samples%n",
                inserted, (written - start) / 1_000_000, (caughtUp - written) / 1_000_000,
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), sorted.size());
    }

    /**
     * A rotation as the operator runs it: the new password is set on the primary with the old one still accepted, on
     * every server (account changes replicate), until the old one is discarded; pods still using it keep working.
     */
    @Test
    @Order(10)
    void theAppPasswordRotatesWithTheOldOneAcceptedUntilDiscarded() throws Exception {
        String old = credentials.appPassword();
        String rotated = GENERATOR.password();
        // The replicas that replicate (an earlier scenario left one stopped on an errant transaction, as it should).
        Set<String> running = pass().stream().filter(r -> ReplicaStates.RUNNING.equals(r.getState())).map(ReplicaStatus::getName)
                .collect(Collectors.toSet());
        List<DatabaseServer> all = Stream.concat(Stream.of(primary), replicas.stream().filter(r -> running.contains(r.name()))).toList();
        assertThat(all).as("the primary and at least two replicas").hasSizeGreaterThanOrEqualTo(3);
        try (SqlSession p = connect(primary)) {
            assertThat(dialect.keepsOldPassword(p, "teachtrack")).isFalse();
            dialect.setPasswordKeepingOld(p, "teachtrack", rotated);
            assertThat(dialect.keepsOldPassword(p, "teachtrack")).isTrue();
        }
        for (DatabaseServer server : all) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(loginError(server, rotated))
                    .as(server.name() + " accepts the new password; " + replicationOf(server)).isZero());
            assertThat(loginError(server, old)).as(server.name() + " still accepts the old one").isZero();
        }
        try (SqlSession p = connect(primary)) {
            dialect.discardOldPassword(p, "teachtrack", rotated);
            assertThat(dialect.keepsOldPassword(p, "teachtrack")).isFalse();
        }
        for (DatabaseServer server : all) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(loginError(server, old))
                    .as(server.name() + " refuses the discarded password").isEqualTo(1045));
            assertThat(loginError(server, rotated)).as(server.name() + " accepts the new one").isZero();
        }
        try (SqlSession p = connect(primary)) {
            // Back to the password the other scenarios use, as a second rotation.
            dialect.setPasswordKeepingOld(p, "teachtrack", old);
            dialect.discardOldPassword(p, "teachtrack", old);
        }
        for (DatabaseServer server : all) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(loginError(server, old)).as(server.name()).isZero());
        }
    }

    /**
     * The root password as the operator rotates it: each server, replicas included, refuses the Secret's new password,
     * is opened with the applied one and given the new one at once — without a transaction of its own (no errant
     * GTIDs) and still read-only where it was. A server that refuses both reports the Secret's refusal.
     */
    @Test
    @Order(10)
    void theRootPasswordFollowsTheSecretOnEveryServer() throws Exception {
        String old = credentials.rootPassword();
        String rotated = GENERATOR.password();
        List<DatabaseServer> all = Stream.concat(Stream.of(primary), replicas.stream()).toList();
        Map<String, String> gtidsBefore = new TreeMap<>();
        Map<String, Long> readOnlyBefore = new TreeMap<>();
        for (DatabaseServer server : all) {
            try (SqlSession s = connect(server)) {
                gtidsBefore.put(server.name(), s.queryString(dialect.executedGtids()));
                readOnlyBefore.put(server.name(), s.queryLong(dialect.readOnlyQuery()));
            }
        }
        assertThat(readOnlyBefore).as("read-only replicas are part of it").containsValue(1L);

        rotateRoot(all, rotated, old);
        for (DatabaseServer server : all) {
            assertThat(loginError(server, DatabaseServer.ROOT_USER, old)).as(server.name() + " refuses the old root password").isEqualTo(1045);
            try (SqlSession s = connect(server, DatabaseServer.ROOT_USER, rotated)) {
                assertThat(s.queryString(dialect.executedGtids())).as(server.name() + " gained no transaction").isEqualTo(gtidsBefore.get(server.name()));
                assertThat(s.queryLong(dialect.readOnlyQuery())).as(server.name() + " read-only as before").isEqualTo(readOnlyBefore.get(server.name()));
            }
        }
        RootLogin neither = new RootLogin(dialect, (host, port, password) -> SqlSession.open(host, port, DatabaseServer.ROOT_USER, password,
                Duration.ofSeconds(5), Duration.ofSeconds(30)), GENERATOR.password(), old, "a test");
        assertThatThrownBy(() -> neither.open(primary.host(), primary.port()))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
        assertThat(neither.onSecretPassword()).isEmpty();

        // Back to the password the other scenarios use, as a second rotation.
        rotateRoot(all, old, rotated);
        for (DatabaseServer server : all) {
            assertThat(loginError(server, DatabaseServer.ROOT_USER, rotated)).as(server.name()).isEqualTo(1045);
        }
    }

    /** One pass of the operator's root login over every server: each is rotated, and a second pass has nothing to do. */
    private void rotateRoot(List<DatabaseServer> all, String secretPassword, String appliedPassword) throws SQLException {
        RootLogin.Opener opener = (host, port, password) -> SqlSession.open(host, port, DatabaseServer.ROOT_USER, password,
                Duration.ofSeconds(5), Duration.ofSeconds(30));
        RootLogin login = new RootLogin(dialect, opener, secretPassword, appliedPassword, "a test");
        for (DatabaseServer server : all) {
            try (SqlSession ignored = login.open(server.host(), server.port())) {
                assertThat(loginError(server, DatabaseServer.ROOT_USER, secretPassword)).as(server.name() + " takes the Secret's password").isZero();
            }
        }
        assertThat(login.rotated()).hasSize(all.size());
        assertThat(login.onSecretPassword()).hasSize(all.size());
        RootLogin again = new RootLogin(dialect, opener, secretPassword, appliedPassword, "a test");
        for (DatabaseServer server : all) {
            again.open(server.host(), server.port()).close();
        }
        assertThat(again.rotated()).isEmpty();
        assertThat(again.onSecretPassword()).hasSize(all.size());
    }

    /**
     * The replication password as the operator rotates it: kept beside the new one while a replica does not answer,
     * then every replica re-pointed and the old one discarded; replication goes on throughout, and reconnects with the
     * new password.
     */
    @Test
    @Order(10)
    void theReplicationPasswordRotatesWhileTheReplicasKeepReceiving() throws Exception {
        String user = DatabaseCredentials.REPLICATION_USER;
        String old = credentials.replicationPassword();
        String rotated = GENERATOR.password();
        Set<String> running = pass().stream().filter(r -> ReplicaStates.RUNNING.equals(r.getState())).map(ReplicaStatus::getName)
                .collect(Collectors.toSet());
        List<DatabaseServer> healthy = replicas.stream().filter(r -> running.contains(r.name())).toList();
        assertThat(healthy).hasSizeGreaterThanOrEqualTo(2);
        PasswordRotation.Login login = password -> connect(primary, user, password);
        Map<String, SqlSession> sessions = new TreeMap<>();
        try (SqlSession p = connect(primary)) {
            for (DatabaseServer replica : healthy) {
                sessions.put(replica.name(), connect(replica));
            }
            ReplicationPasswordRotation.run(dialect, p, login, rotated, sessions, false, "a replica does not answer");
            assertThat(dialect.keepsOldPassword(p, user)).as("kept until every replica answers").isTrue();
            assertThat(loginError(primary, user, old)).isZero();
            assertThat(loginError(primary, user, rotated)).isZero();

            ReplicationPasswordRotation.run(dialect, p, login, rotated, sessions, true, "every replica answers");
            assertThat(dialect.keepsOldPassword(p, user)).isFalse();
            assertThat(loginError(primary, user, old)).as("the old replication password").isEqualTo(1045);
        } finally {
            sessions.values().forEach(SqlSession::close);
        }
        // The replicas reconnected with the new password (re-pointing restarted them): a new row reaches them all.
        try (SqlSession app = connect(primary, "teachtrack", credentials.appPassword())) {
            app.execute("CREATE TABLE teachtrack.replication_password_check (note VARCHAR(64) PRIMARY KEY)");
            app.execute("INSERT INTO teachtrack.replication_password_check VALUES (?)", "after the replication password changed");
        }
        for (DatabaseServer replica : healthy) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                try (SqlSession r = connect(replica)) {
                    assertThat(r.queryLong("SELECT COUNT(*) FROM teachtrack.replication_password_check"))
                            .as(replica.name()).isEqualTo(1);
                }
            });
        }
        // Back to the password the other scenarios use: every replica answers, so one pass does it all.
        try (SqlSession p = connect(primary)) {
            for (DatabaseServer replica : healthy) {
                sessions.put(replica.name(), connect(replica));
            }
            ReplicationPasswordRotation.run(dialect, p, login, old, sessions, true, "back");
            assertThat(loginError(primary, user, old)).isZero();
            assertThat(loginError(primary, user, rotated)).isEqualTo(1045);
        } finally {
            sessions.values().forEach(SqlSession::close);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(pass())
                .filteredOn(r -> running.contains(r.getName())).extracting(ReplicaStatus::getState).containsOnly(ReplicaStates.RUNNING));
    }

    /** The error code of a login as the app user (0: it opened). */
    private static int loginError(DatabaseServer server, String password) {
        return loginError(server, "teachtrack", password);
    }

    /** The error code of a login (0: it opened). */
    private static int loginError(DatabaseServer server, String user, String password) {
        try (SqlSession app = connect(server, user, password)) {
            return app.queryLong("SELECT 1") == 1 ? 0 : -1;
        } catch (SQLException e) {
            return e.getErrorCode();
        }
    }

    private String replicationOf(DatabaseServer server) {
        try (SqlSession s = connect(server)) {
            Map<String, Object> status = s.queryRow(dialect.replicaStatus());
            return status == null ? "not a replica" : "replica: " + dialect.parseReplicaStatus(status);
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    @Test
    @Order(11)
    void aReplicaThatNeedsPurgedBinaryLogsIsReportedAsNeedingSeeding() throws Exception {
        try (SqlSession p = connect(primary)) {
            String first = p.queryString("SHOW BINARY LOGS");
            p.execute("FLUSH BINARY LOGS");
            // MariaDB keeps a log until InnoDB's binlog checkpoint has moved past it.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                List<Map<String, Object>> logs = p.query("SHOW BINARY LOGS");
                p.execute("PURGE BINARY LOGS TO ?", logs.get(logs.size() - 1).get("Log_name").toString());
                return !p.queryString("SHOW BINARY LOGS").equals(first);
            });
        }
        DatabaseServer late = server(4).start();
        replicas.add(late);
        await().atMost(Duration.ofSeconds(30)).pollInterval(POLL).ignoreExceptions().until(() -> pass().stream()
                .anyMatch(s -> s.getName().equals(late.name()) && s.getState().equals(ReplicaStates.NEEDS_SEEDING)));
        ReplicaStatus status = pass().stream().filter(s -> s.getName().equals(late.name())).findFirst().orElseThrow();
        assertThat(status.getLastError()).contains("must be seeded");
        replicas.remove(late);
        late.close();
    }

    @Test
    @Order(12)
    void aPrimaryThatLostItsDataIsNeverMadeWritableOverReplicasThatHoldIt() throws Exception {
        primary.loseData();
        primary.start();
        ReplicationPlan plan = plan();
        assertThat(plan.reason()).isEqualTo("PrimaryBehindReplicas");
        assertThat(plan.message()).contains(replicas.get(0).name());
        assertThat(plan.actions()).as("nothing is written anywhere").isEmpty();
        try (SqlSession p = connect(primary)) {
            assertThat(p.queryLong(dialect.readOnlyQuery())).as("the empty primary stays read-only").isEqualTo(1);
        }
        assertThat(count(replicas.get(0), "teachtrack.subjects")).as("the replicas keep the data").isEqualTo(4);
        assertThat(labels.get(primary.name())).as("writes stop").isNull();
    }

    @Test
    @Order(13)
    void noPasswordEverReachedTheLogs() {
        List<String> lines;
        synchronized (logged) {
            lines = List.copyOf(logged);
        }
        assertThat(lines).as("the operator logged its work").anyMatch(l -> l.contains("bootstrapped"));
        for (String password : List.of(credentials.rootPassword(), credentials.appPassword(), credentials.replicationPassword())) {
            assertThat(lines).noneMatch(line -> line.contains(password));
            for (DatabaseServer server : Stream.concat(Stream.of(primary), replicas.stream()).toList()) {
                assertThat(server.log()).as(server.name() + "'s output").isNotEmpty().doesNotContain(password);
            }
        }
    }

    /** Fencing's STOP may wait longer than a session's socket timeout allows other statements (see the executor). */
    @Test
    @Order(14)
    void oneStatementMayOutlastTheSocketTimeoutWhereAllowedAndTheNextMayNot() throws Exception {
        try (SqlSession session = SqlSession.open(primary.host(), primary.port(), DatabaseServer.ROOT_USER, primary.rootPassword(),
                Duration.ofSeconds(5), Duration.ofSeconds(1))) {
            session.executeWaiting(Duration.ofSeconds(60), "DO SLEEP(2)");
            assertThatThrownBy(() -> session.execute("DO SLEEP(2)")).as("the socket timeout applies again").isInstanceOf(SQLException.class);
        }
    }

    // --- one reconcile pass, as the operator runs it ---

    private List<ReplicaStatus> pass() {
        return plan().replicas();
    }

    /** Observe, decide, act: one pass over every server, as the replication step runs it. */
    private ReplicationPlan plan() {
        return harness.pass(Stream.concat(Stream.of(primary), replicas.stream()).toList());
    }

    private void awaitAllRunning() {
        awaitRunning(s -> true);
    }

    private void awaitRunning(Predicate<ReplicaStatus> which) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> pass().stream()
                .filter(which).allMatch(s -> s.getState().equals(ReplicaStates.RUNNING)));
    }

    private static long count(DatabaseServer server, String table) throws SQLException {
        try (SqlSession s = connect(server)) {
            return s.queryLong("SELECT COUNT(*) FROM " + table);
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146) {
                return -1; // the table has not arrived yet
            }
            throw e;
        }
    }

    private Map<String, String> gtidStates() throws SQLException {
        Map<String, String> states = new TreeMap<>();
        for (DatabaseServer server : Stream.concat(Stream.of(primary), replicas.stream()).toList()) {
            try (SqlSession s = connect(server)) {
                states.put(server.name(), s.queryString(dialect.executedGtids()));
            }
        }
        return states;
    }

    /** How the replica's own transactions appear in a GTID set: MySQL's server_uuid, MariaDB's domain-server_id. */
    private String ownGtidSource(DatabaseServer replica) throws SQLException {
        try (SqlSession r = connect(replica)) {
            return engine == DatabaseEngine.MYSQL ? r.queryString("SELECT @@GLOBAL.server_uuid AS uuid")
                    : "0-" + r.queryString("SELECT @@GLOBAL.server_id AS id") + "-";
        }
    }

    /** The operator's own session to a server, as root. */
    private static SqlSession connect(DatabaseServer server) throws SQLException {
        return SqlSession.open(server.host(), server.port(), DatabaseServer.ROOT_USER, server.rootPassword(),
                Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    private static SqlSession connect(DatabaseServer server, String user, String password) throws SQLException {
        return SqlSession.open(server.host(), server.port(), user, password, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

}
