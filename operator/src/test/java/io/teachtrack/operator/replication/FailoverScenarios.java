package io.teachtrack.operator.replication;

import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.model.CredentialGenerator;
import io.teachtrack.operator.mysql.DatabaseCredentials;
import io.teachtrack.operator.mysql.Dialect;
import io.teachtrack.operator.mysql.SemiSync;
import io.teachtrack.operator.mysql.SqlSession;
import io.teachtrack.operator.testing.CommitSampler;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Database tier, failover: one primary and two replicas on real servers (the images {@code make images} builds, the
 * operator's my.cnf), driven pass after pass as the operator drives them, under a steady load of writes whose
 * acknowledgements are recorded. After each fault: every acknowledged write is on the new primary, and at no sampled
 * moment (every 200 ms) could two servers complete a commit. One subclass per engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class FailoverScenarios {

    /** Short, so the test is quick; the operator's default is 10 s. */
    private static final Duration FAILOVER_AFTER = Duration.ofSeconds(3);
    private static final Duration PASS_INTERVAL = Duration.ofMillis(250);
    private static final CredentialGenerator GENERATOR = new CredentialGenerator();
    /** The id of a row the primary commits but no replica ever receives. */
    private static final long UNACKNOWLEDGED = -4L;

    private final DatabaseEngine engine;
    private final Dialect dialect;
    private final DatabaseCredentials credentials =
            new DatabaseCredentials(GENERATOR.password(), GENERATOR.password(), GENERATOR.password());
    private final ReplicationHarness harness;
    private final List<DatabaseServer> servers = new ArrayList<>();
    /** The primary that died holding a commit no replica received. */
    private String killedWithUnacknowledgedCommit;
    private Path base;

    FailoverScenarios(DatabaseEngine engine, MysqlEngine specEngine) {
        this.engine = engine;
        this.dialect = Dialect.of(specEngine);
        this.harness = new ReplicationHarness(dialect, credentials, true, FAILOVER_AFTER);
    }

    @BeforeAll
    void startServers() {
        base = TestDirectories.fresh(RepoPaths.root().resolve("operator/target/failover-it-" + engine.image()));
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            servers.add(DatabaseServer.builder(engine, base, "mysql-" + ordinal).rootPassword(credentials.rootPassword()).build().start());
        }
    }

    @AfterAll
    void stopServers() {
        harness.close();
        servers.forEach(DatabaseServer::close);
    }

    @Test
    @Order(0)
    void commitsWaitForAReplicaAcknowledgement() throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(PASS_INTERVAL).ignoreExceptions().until(() -> {
            ReplicationPlan plan = harness.pass(servers);
            return plan.replicas().stream().allMatch(r -> r.getState().equals(ReplicaStates.RUNNING)) && plan.semiSync().active()
                    && plan.semiSync().acknowledging() == 2;
        });
        ReplicationPlan plan = harness.pass(servers);
        assertThat(plan.semiSync()).isEqualTo(new SemiSync(true, 1, true, 2));
        assertThat(plan.message()).contains("each commit waits for 1 of them");
        try (SqlSession app = app(primary())) {
            app.execute("CREATE TABLE teachtrack.acks (id BIGINT PRIMARY KEY)");
        }
    }

    @Test
    @Order(1)
    void withoutReplicasACommitWaitsUnseenAndNeverFallsBackToAsynchronous() throws Exception {
        stopReceiving(replicas());
        CompletableFuture<Void> commit = insertAsync(primary(), -1L);
        awaitCommitWaitingForAcknowledgement(primary());
        try (SqlSession p = root(primary())) {
            assertThat(commit).as("the commit waits for an acknowledgement").isNotDone();
            // AFTER_SYNC: until a replica acknowledges it, no other session can read the row, so no reader (the API's
            // read-through cache included) can pass on a write that a failover may lose.
            assertThat(p.queryLong("SELECT COUNT(*) FROM teachtrack.acks WHERE id = ?", -1L)).as("invisible until acknowledged").isZero();
            assertThat(dialect.semiSync(p)).as("still semi-synchronous: no fallback").satisfies(s -> {
                assertThat(s.enabled()).isTrue();
                assertThat(s.active()).isTrue();
            });
        }
        // The next pass finds the receiving threads stopped and starts them: the waiting commit returns.
        harness.pass(servers);
        commit.get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).pollInterval(PASS_INTERVAL).until(() -> harness.pass(servers).replicas().stream()
                .allMatch(r -> r.getState().equals(ReplicaStates.RUNNING)));
    }

    /**
     * The primary dies holding a commit no replica received (receiving stopped everywhere first, so this happens on
     * every run, not only when the kill lands mid-commit): the new primary lacks it, and the restarted former primary is
     * excluded for it, never re-pointed.
     */
    @Test
    @Order(2)
    void aKilledPrimaryIsReplacedWithoutLosingAnAcknowledgedWriteAndItsUnacknowledgedCommitExcludesIt() throws Exception {
        DatabaseServer old = primary();
        killedWithUnacknowledgedCommit = old.name();
        FailoverRun run = failoverUnder("primary killed with a commit awaiting acknowledgement", () -> {
            stopReceiving(replicas());
            insertAsync(old, UNACKNOWLEDGED);
            awaitCommitWaitingForAcknowledgement(old);
            old.kill();
        });
        run.assertNoAcknowledgedWriteLost(primary());
        try (SqlSession p = root(primary())) {
            assertThat(p.queryLong("SELECT COUNT(*) FROM teachtrack.acks WHERE id = ?", UNACKNOWLEDGED)).isZero();
        }
        old.start();
        awaitFormerPrimaryRejoinsOrIsExcluded(old);
        assertThat(harness.pass(servers).replicas()).filteredOn(r -> r.getName().equals(old.name())).singleElement()
                .satisfies(r -> assertThat(r.getState()).isEqualTo(ReplicaStates.ERRANT_TRANSACTIONS));
        run.assertNeverTwoServersCouldCommit();
    }

    /**
     * The rebuild of the excluded former primary that docs/replication.md describes (its volume emptied): it replicates everything from the
     * beginning, including what it wrote itself while it was the primary. With the server id of its earlier incarnation
     * it would skip those events (a replica ignores its own server id) and lack rows or even the database.
     */
    @Test
    @Order(3)
    void theExcludedFormerPrimaryRebuiltOnAnEmptyVolumeReplaysWhatItWroteAsThePrimary() throws Exception {
        List<String> excluded = harness.pass(servers).replicas().stream().filter(r -> r.getState().equals(ReplicaStates.ERRANT_TRANSACTIONS))
                .map(ReplicaStatus::getName).toList();
        assertThat(excluded).as("the primary killed with an unacknowledged commit").containsExactly(killedWithUnacknowledgedCommit);
        DatabaseServer rebuilt = server(excluded.getFirst());
        long serverIdBefore = rebuilt.serverId();
        rebuilt.loseData();
        rebuilt.start();
        assertThat(rebuilt.serverId()).as("a new data directory has a server id of its own").isNotEqualTo(serverIdBefore);
        await().atMost(Duration.ofSeconds(120)).pollInterval(PASS_INTERVAL).ignoreExceptions().untilAsserted(() -> {
            assertThat(harness.pass(servers).replicas()).allSatisfy(r -> assertThat(r.getState()).isEqualTo(ReplicaStates.RUNNING));
            try (SqlSession p = root(primary()); SqlSession r = root(rebuilt)) {
                assertThat(r.queryLong("SELECT COUNT(*) FROM teachtrack.acks")).as("every row of the primary")
                        .isEqualTo(p.queryLong("SELECT COUNT(*) FROM teachtrack.acks"));
            }
        });
    }

    @Test
    @Order(4)
    void aFrozenPrimaryIsReplacedAndFencedWhenItResumes() throws Exception {
        DatabaseServer old = primary();
        AtomicBoolean frozen = new AtomicBoolean();
        FailoverRun run;
        try {
            run = failoverUnder("primary frozen", () -> {
                old.freeze();
                frozen.set(true);
            });
        } finally {
            if (frozen.get()) {
                old.thaw();
            }
        }
        // MariaDB's replicas were still trying to reach the frozen primary; stopping them waited for that, and must
        // not have failed the pass for it.
        assertThat(harness.fencingFailures()).as("replicas that failed to stop receiving from the frozen primary").isEmpty();
        awaitFormerPrimaryRejoinsOrIsExcluded(old);
        run.assertNoAcknowledgedWriteLost(primary());
        try (SqlSession o = root(old)) {
            assertThat(o.queryLong(dialect.readOnlyQuery())).as("the resumed primary was fenced").isEqualTo(1);
        }
        run.assertNeverTwoServersCouldCommit();
    }

    @Test
    @Order(5)
    void aSwitchoverUnderLoadMovesThePrimaryWithoutLosingAnAcknowledgedWrite() throws Exception {
        awaitHealthyReplicas();
        DatabaseServer old = primary();
        DatabaseServer target = healthyReplica();
        FailoverRun run = writing();
        long requested = System.nanoTime();
        harness.requestSwitchover(target.name());
        long writesBack;
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(PASS_INTERVAL).ignoreExceptions().until(() -> {
                harness.pass(servers);
                return harness.primaryOrdinal() == ReplicationHarness.ordinal(target) && run.acknowledgedOn(harness.primaryOrdinal()) > 0;
            });
            writesBack = System.nanoTime();
        } finally {
            run.stop();
        }
        assertThat(harness.switchoverResult()).isEqualTo(ReplicationPlan.Switchover.COMPLETED);
        System.out.printf("[figure] %s switchover %s -> %s under load: writes on the new primary %d ms after the request%n", engine,
                old.name(), target.name(), (writesBack - requested) / 1_000_000);
        run.assertNoAcknowledgedWriteLost(target);
        awaitFormerPrimaryRejoinsOrIsExcluded(old);
        assertThat(harness.pass(servers).replicas()).filteredOn(r -> r.getName().equals(old.name())).singleElement()
                .satisfies(r -> assertThat(r.getState()).as("a switchover leaves nothing unacknowledged behind").isEqualTo(ReplicaStates.RUNNING));
        run.assertNeverTwoServersCouldCommit();
    }

    @Test
    @Order(6)
    void aSwitchoverWhoseTargetCannotCatchUpIsAbandonedAndTheOldPrimaryWritesAgain() throws Exception {
        awaitHealthyReplicas();
        DatabaseServer current = primary();
        DatabaseServer target = healthyReplica();
        harness.requestSwitchover(target.name());
        // The pass decides on a caught-up target; only then does the target start applying an hour late and the
        // primary take one more commit, so the target cannot catch up within the step's deadline. Done before the
        // decision, the lag could already show (a slow machine) and the request be rejected instead.
        ReplicationPlan plan = harness.pass(servers, () -> {
            applyLate(target, 3600);
            try (SqlSession app = app(current)) {
                app.execute("INSERT INTO teachtrack.acks (id) VALUES (?)", -2L);
            }
        });
        assertThat(plan.switchover()).isNotNull();
        assertThat(harness.switchoverResult()).isEqualTo(ReplicationPlan.Switchover.FAILED);
        assertThat(harness.primaryOrdinal()).as("the primary stays").isEqualTo(ReplicationHarness.ordinal(current));
        try (SqlSession app = app(current)) {
            app.execute("INSERT INTO teachtrack.acks (id) VALUES (?)", -3L);
        }
        applyLate(target, 0);
        awaitHealthyReplicas();
    }

    /** Stops the receiving thread of each server: nothing the primary commits from now on is acknowledged. */
    private void stopReceiving(List<DatabaseServer> replicas) throws SQLException {
        for (DatabaseServer replica : replicas) {
            try (SqlSession r = root(replica)) {
                r.execute(dialect.stopReplicaIo());
            }
        }
    }

    /** Inserts one row on its own connection; the commit may wait for an acknowledgement, or fail with its server. */
    private CompletableFuture<Void> insertAsync(DatabaseServer server, long id) {
        return CompletableFuture.runAsync(() -> {
            try (SqlSession app = app(server)) {
                app.execute("INSERT INTO teachtrack.acks (id) VALUES (?)", id);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void awaitCommitWaitingForAcknowledgement(DatabaseServer server) throws SQLException {
        try (SqlSession p = root(server)) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(p.query("SELECT STATE FROM information_schema.PROCESSLIST WHERE USER = ?", "teachtrack"))
                            .extracting(row -> String.valueOf(row.get("STATE")))
                            .anySatisfy(state -> assertThat(state).containsIgnoringCase("semi-sync")));
        }
    }

    private DatabaseServer server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** Makes a replica apply each transaction {@code seconds} after its source committed it. */
    private void applyLate(DatabaseServer replica, int seconds) throws SQLException {
        try (SqlSession r = root(replica)) {
            r.execute(dialect.stopReplica());
            r.execute((engine == DatabaseEngine.MYSQL ? "CHANGE REPLICATION SOURCE TO SOURCE_DELAY = " : "CHANGE MASTER TO MASTER_DELAY = ")
                    + seconds);
            r.execute(dialect.startReplica());
        }
    }

    private void awaitHealthyReplicas() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(PASS_INTERVAL).ignoreExceptions().until(() -> harness.pass(servers).replicas()
                .stream().anyMatch(r -> r.getState().equals(ReplicaStates.RUNNING)));
    }

    private DatabaseServer healthyReplica() {
        String name = harness.pass(servers).replicas().stream().filter(r -> r.getState().equals(ReplicaStates.RUNNING)).findFirst()
                .orElseThrow().getName();
        return servers.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * Writes steadily to whichever server is the recorded primary, injects the fault, runs passes until a new primary
     * took an acknowledged write, and samples every 200 ms which servers could complete a commit.
     */
    private FailoverRun failoverUnder(String fault, Injection injection) throws Exception {
        FailoverRun run = writing();
        int before = harness.primaryOrdinal();
        long faultAt = System.nanoTime();
        injection.run();
        long acknowledgedAtFault = run.acknowledged.size();
        long writesBack;
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(PASS_INTERVAL).ignoreExceptions().until(() -> {
                harness.pass(servers);
                return harness.primaryOrdinal() != before && run.acknowledgedOn(harness.primaryOrdinal()) > 0;
            });
            writesBack = System.nanoTime();
        } finally {
            // A failed scenario must not leave its writer running into the next one.
            run.stop();
        }
        System.out.printf("[figure] %s %s: writes back on mysql-%d %d ms after the fault; %d writes acknowledged before it, %d in all%n",
                engine, fault, harness.primaryOrdinal(), (writesBack - faultAt) / 1_000_000, acknowledgedAtFault, run.acknowledged.size());
        return run;
    }

    /** A fault to inject. */
    @FunctionalInterface
    private interface Injection {
        void run() throws Exception;
    }

    /** A writer and a sampler running, the writer's first acknowledgements in. */
    private FailoverRun writing() {
        FailoverRun run = new FailoverRun();
        run.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> run.acknowledged.size() >= 20);
        return run;
    }

    private void awaitFormerPrimaryRejoinsOrIsExcluded(DatabaseServer former) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(PASS_INTERVAL).ignoreExceptions().until(() -> {
            ReplicaStatus status = harness.pass(servers).replicas().stream().filter(r -> r.getName().equals(former.name())).findFirst()
                    .orElseThrow();
            return status.getState().equals(ReplicaStates.RUNNING)
                    || status.getState().equals(ReplicaStates.ERRANT_TRANSACTIONS) && status.getLastError().contains("former primary");
        });
        assertThat(harness.labels().get(former.name())).as("never the primary again").isNotEqualTo("primary");
        System.out.printf("[figure] %s former primary %s: %s%n", engine, former.name(), harness.pass(servers).replicas().stream()
                .filter(r -> r.getName().equals(former.name())).findFirst().orElseThrow().getState());
    }

    private DatabaseServer primary() {
        return servers.get(harness.primaryOrdinal());
    }

    private List<DatabaseServer> replicas() {
        return servers.stream().filter(s -> s != primary()).toList();
    }

    /** The writer, the sampler and what they saw. */
    private final class FailoverRun {
        final Map<Long, Integer> acknowledged = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong nextId = new AtomicLong(System.nanoTime());
        private Thread writer;
        private CommitSampler sampler;

        void start() {
            writer = Thread.ofVirtual().start(this::write);
            sampler = CommitSampler.start(() -> servers.stream().map(s -> new CommitSampler.Server(s.name(), s.host(), s.port())).toList(),
                    credentials.rootPassword(), dialect);
        }

        void stop() throws InterruptedException {
            running.set(false);
            writer.join();
            sampler.close();
        }

        long acknowledgedOn(int ordinal) {
            return acknowledged.values().stream().filter(o -> o == ordinal).count();
        }

        /** Inserts one row after another into the recorded primary; a row counts once its commit returned. */
        private void write() {
            while (running.get()) {
                int ordinal = harness.primaryOrdinal();
                try (SqlSession app = SqlSession.open(servers.get(ordinal).host(), servers.get(ordinal).port(), "teachtrack",
                        credentials.appPassword(), Duration.ofSeconds(1), Duration.ofSeconds(5))) {
                    while (running.get() && ordinal == harness.primaryOrdinal()) {
                        long id = nextId.incrementAndGet();
                        app.execute("INSERT INTO teachtrack.acks (id) VALUES (?)", id);
                        acknowledged.put(id, ordinal);
                    }
                } catch (SQLException e) {
                    // A lost, frozen, fenced or read-only server (a commit unanswered for 5 s counts as not acknowledged):
                    // try the recorded primary again.
                    RepeatingTask.pause(Duration.ofMillis(100));
                }
            }
        }

        void assertNoAcknowledgedWriteLost(DatabaseServer newPrimary) throws SQLException {
            try (SqlSession p = root(newPrimary)) {
                List<Long> missing = new ArrayList<>();
                Set<Long> present = new HashSet<>();
                for (Map<String, Object> row : p.query("SELECT id FROM teachtrack.acks")) {
                    present.add(((Number) row.get("id")).longValue());
                }
                acknowledged.keySet().stream().filter(id -> !present.contains(id)).forEach(missing::add);
                assertThat(missing).as("acknowledged writes missing on the new primary " + newPrimary.name()).isEmpty();
            }
        }

        void assertNeverTwoServersCouldCommit() {
            sampler.assertNeverTwoServersCouldCommit();
        }
    }

    private SqlSession root(DatabaseServer server) throws SQLException {
        return SqlSession.open(server.host(), server.port(), DatabaseCredentials.ROOT_USER, credentials.rootPassword(),
                Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    private SqlSession app(DatabaseServer server) throws SQLException {
        return SqlSession.open(server.host(), server.port(), "teachtrack", credentials.appPassword(), Duration.ofSeconds(5),
                Duration.ofSeconds(60));
    }

}
