package io.teachtrack.api.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A primary and a replica with real GTID replication, set up as the operator sets up a TeachTrack's databases:
 * database {@code teachtrack}, app user {@code teachtrack} with the operator's grant, a replication user.
 */
public final class ReplicatedMariaDb implements AutoCloseable {

    public static final String DATABASE = "teachtrack";
    public static final String APP_USER = "teachtrack";
    public static final String APP_PASSWORD = "app-test-password-4f9c";
    private static final String REPL_PASSWORD = "repl-test-password";
    /** The operator's grant for the app user (ReplicationCoordinator.APP_GRANT). */
    private static final String APP_GRANT = "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES,"
            + " CREATE TEMPORARY TABLES, LOCK TABLES, CREATE VIEW, SHOW VIEW, TRIGGER ON `teachtrack`.* TO 'teachtrack'@'%'";

    private final MariaDb primary;
    private final List<MariaDb> replicas = new ArrayList<>();

    public ReplicatedMariaDb(Path dir) {
        this(dir, 1);
    }

    public ReplicatedMariaDb(Path dir, int replicaCount) {
        this(dir, replicaCount, "64M");
    }

    public ReplicatedMariaDb(Path dir, int replicaCount, String bufferPool) {
        this.primary = new MariaDb(dir.resolve("primary"), 1, bufferPool);
        for (int i = 0; i < replicaCount; i++) {
            replicas.add(new MariaDb(dir.resolve(i == 0 ? "replica" : "replica-" + i), 1001 + i, bufferPool));
        }
    }

    public ReplicatedMariaDb start() {
        primary.start();
        replicas.forEach(MariaDb::start);
        primary.sql("CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY '" + REPL_PASSWORD + "'",
                "GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'");
        replicas.forEach(this::pointReplica);
        provisionApp(primary);
        awaitCaughtUp(Duration.ofSeconds(30));
        return this;
    }

    /** What the operator creates on a primary for the app: its database and its user, with the operator's grant. */
    public static void provisionApp(MariaDb server) {
        server.sql("CREATE DATABASE IF NOT EXISTS teachtrack",
                "CREATE USER IF NOT EXISTS 'teachtrack'@'%' IDENTIFIED BY '" + APP_PASSWORD + "'",
                APP_GRANT);
    }

    private void pointReplica(MariaDb replica) {
        replica.sql("STOP SLAVE", "RESET SLAVE ALL",
                "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = " + primary.port()
                        + ", MASTER_USER = 'repl', MASTER_PASSWORD = '" + REPL_PASSWORD + "', MASTER_USE_GTID = slave_pos",
                "SET GLOBAL read_only = ON",
                "START SLAVE");
    }

    public MariaDb primary() {
        return primary;
    }

    /** The first replica. */
    public MariaDb replica() {
        return replicas.get(0);
    }

    public List<MariaDb> replicas() {
        return replicas;
    }

    /** The replicas' URL: one server, or Connector/J's load-balancing URL over all of them (as a Service would). */
    public String replicaUrl() {
        if (replicas.size() == 1) {
            return replica().jdbcUrl(DATABASE);
        }
        return "jdbc:mysql:loadbalance://" + String.join(",", replicas.stream().map(r -> "127.0.0.1:" + r.port()).toList()) + "/" + DATABASE;
    }

    /** Stops applying (the replica falls behind but still answers). */
    public void pauseApplying() {
        replicas.forEach(replica -> replica.sql("STOP SLAVE SQL_THREAD"));
    }

    public void resumeApplying() {
        replicas.forEach(replica -> replica.sql("START SLAVE SQL_THREAD"));
    }

    /** Every replica applies each transaction only this long after the primary committed it (MASTER_DELAY). */
    public void delayReplicas(int seconds) {
        replicas.forEach(replica -> replica.sql("STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY = " + seconds, "START SLAVE"));
    }

    /** Brings a killed replica back on the same port and data, replicating again. */
    public void restartReplica() {
        replica().start();
        replica().sql("START SLAVE");
        awaitCaughtUp(Duration.ofSeconds(30));
    }

    public void awaitCaughtUp(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            String primaryPosition = primary.queryString("SELECT @@gtid_binlog_pos");
            boolean all = replicas.stream().allMatch(replica -> primaryPosition == null || primaryPosition.isEmpty()
                    || primaryPosition.equals(replica.queryString("SELECT @@gtid_slave_pos")));
            if (all) {
                return;
            }
            LocalProcess.pause(50);
        }
        throw new IllegalStateException("the replica did not catch up in " + timeout);
    }

    @Override
    public void close() {
        replicas.forEach(MariaDb::close);
        primary.close();
    }
}
