package io.teachtrack.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A primary and its replicas with real GTID replication, set up by hand as the operator sets up a TeachTrack's
 * databases: database {@code teachtrack}, app user {@code teachtrack} with the operator's grant, a replication user,
 * the primary writable and the replicas read-only.
 */
public final class ReplicatedDatabases implements AutoCloseable {

    public static final String DATABASE = "teachtrack";
    public static final String APP_USER = "teachtrack";
    public static final String APP_PASSWORD = "app-test-password-4f9c";
    private static final String REPL_USER = "repl";
    private static final String REPL_PASSWORD = "repl-test-password";
    /** The operator's grant for the app user (ReplicationCoordinator.APP_GRANT). */
    private static final String APP_GRANT = "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES,"
            + " CREATE TEMPORARY TABLES, LOCK TABLES, CREATE VIEW, SHOW VIEW, TRIGGER ON `teachtrack`.* TO 'teachtrack'@'%'";

    private final DatabaseEngine engine;
    private final DatabaseServer primary;
    private final List<DatabaseServer> replicas = new ArrayList<>();

    public ReplicatedDatabases(DatabaseEngine engine, Path dir, int replicaCount) {
        this(engine, dir, replicaCount, server -> { });
    }

    /**
     * {@code replicaCount} replicas of one primary, each server configured further by {@code server} (for example
     * a larger buffer pool).
     */
    public ReplicatedDatabases(DatabaseEngine engine, Path dir, int replicaCount, Consumer<DatabaseServer.Builder> server) {
        this.engine = engine;
        DatabaseServer.Builder primaryBuilder = DatabaseServer.builder(engine, dir, "primary-0").serverIdBase(1);
        server.accept(primaryBuilder);
        this.primary = primaryBuilder.build();
        for (int i = 0; i < replicaCount; i++) {
            DatabaseServer.Builder builder = DatabaseServer.builder(engine, dir, "replica-" + i).serverIdBase(1001);
            server.accept(builder);
            replicas.add(builder.build());
        }
    }

    public ReplicatedDatabases start() {
        primary.start();
        replicas.forEach(DatabaseServer::start);
        provisionApp(primary);
        primary.sql("CREATE USER IF NOT EXISTS '" + REPL_USER + "'@'%' IDENTIFIED BY '" + REPL_PASSWORD + "'",
                "GRANT REPLICATION SLAVE ON *.* TO '" + REPL_USER + "'@'%'");
        replicas.forEach(this::pointReplica);
        awaitCaughtUp(Duration.ofSeconds(60));
        return this;
    }

    /** What the operator does on a primary for the app: writes allowed, its database and its user with the operator's grant. */
    public static void provisionApp(DatabaseServer server) {
        server.makeWritable();
        server.sql("CREATE DATABASE IF NOT EXISTS teachtrack",
                "CREATE USER IF NOT EXISTS 'teachtrack'@'%' IDENTIFIED BY '" + APP_PASSWORD + "'",
                APP_GRANT);
    }

    private void pointReplica(DatabaseServer replica) {
        replica.sql(engine.replicateFrom(primary.port(), REPL_USER, REPL_PASSWORD));
    }

    public DatabaseEngine engine() {
        return engine;
    }

    public DatabaseServer primary() {
        return primary;
    }

    /** The first replica. */
    public DatabaseServer replica() {
        return replicas.get(0);
    }

    public List<DatabaseServer> replicas() {
        return replicas;
    }

    /**
     * The replicas' URL as the app takes it: every replica's address, as the replicas' headless Service lists them
     * (the app keeps one pool per server).
     */
    public String replicaUrl() {
        return "jdbc:mysql://" + String.join(",", replicas.stream().map(r -> r.host() + ":" + r.port()).toList()) + "/" + DATABASE;
    }

    /** Stops applying on every replica (they fall behind but still answer). */
    public void pauseApplying() {
        replicas.forEach(this::pauseApplying);
    }

    public void resumeApplying() {
        replicas.forEach(this::resumeApplying);
    }

    /** Stops applying on one replica: it falls behind but still answers. */
    public void pauseApplying(DatabaseServer replica) {
        replica.sql(engine.stopApplying());
    }

    public void resumeApplying(DatabaseServer replica) {
        replica.sql(engine.startApplying());
    }

    /** Starts recording the statements of every running server (see {@link #selectsEndingWith}). */
    public void recordStatements() {
        servers().filter(DatabaseServer::isAlive).forEach(DatabaseServer::recordStatements);
    }

    /** The SELECTs by {@code user} ending with {@code suffix} since {@link #recordStatements()}, on every running server. */
    public long selectsEndingWith(String user, String suffix) {
        return servers().filter(DatabaseServer::isAlive).mapToLong(server -> server.selectsEndingWith(user, suffix)).sum();
    }

    private Stream<DatabaseServer> servers() {
        return Stream.concat(Stream.of(primary), replicas.stream());
    }

    /** Every replica applies each transaction only this long after the primary committed it. */
    public void delayReplicas(int seconds) {
        replicas.forEach(replica -> replica.sql(engine.delay(seconds)));
    }

    /** Brings a killed replica back on the same port and data, replicating again. */
    public void restartReplica() {
        replica().start();
        replica().sql(engine.startReplica());
        awaitCaughtUp(Duration.ofSeconds(60));
    }

    public void awaitCaughtUp(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
            String position = primary.queryString(engine.executedGtids());
            return position == null || position.isEmpty()
                    || replicas.stream().allMatch(replica -> Objects.equals(position, replica.queryString(engine.appliedGtids())));
        });
    }

    @Override
    public void close() {
        replicas.forEach(DatabaseServer::close);
        primary.close();
    }
}
