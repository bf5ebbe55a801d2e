package io.teachtrack.operator.replication;

import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.mysql.DatabaseCredentials;
import io.teachtrack.operator.mysql.Dialect;
import io.teachtrack.operator.mysql.SqlSession;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Carries out a {@link ReplicationPlan}: its statements on the sessions the observation opened, in order, then its
 * label changes. Every value is a bound parameter; passwords never reach a log line.
 */
public final class ReplicationExecutor {

    private static final Logger LOG = Logger.getLogger(ReplicationExecutor.class);
    /** Privileges of the app user: its own database, and DDL there for the API's migrations. */
    static final String APP_GRANT = "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES,"
            + " CREATE TEMPORARY TABLES, LOCK TABLES, CREATE VIEW, SHOW VIEW, TRIGGER ON `" + Names.APP_DATABASE + "`.* TO ?@'%'";

    /** How long one pass waits for a promoted replica to apply what it received (under the sessions' socket timeout). */
    static final Duration APPLY_WAIT = Duration.ofSeconds(5);
    /** How long one read-only switch may wait for running commits (under the sessions' socket timeout). */
    static final Duration LOCK_WAIT = Duration.ofSeconds(5);
    /**
     * How long fencing may wait for a replica to stop receiving: MariaDB lets a connection attempt in progress end first
     * (connect and greeting, each bounded by slave_net_timeout, 6 s in the operator's my.cnf).
     */
    static final Duration STOP_RECEIVING_WAIT = Duration.ofSeconds(30);
    /** ER_NO_SUCH_THREAD: the session ended by itself before it was killed. */
    private static final int UNKNOWN_THREAD = 1094;

    /** Sets or (with null) removes a pod's role label. */
    @FunctionalInterface
    public interface Labeler {
        void label(String pod, String role);
    }

    private final Dialect dialect;
    private final DatabaseCredentials credentials;

    public ReplicationExecutor(Dialect dialect, DatabaseCredentials credentials) {
        this.dialect = dialect;
        this.credentials = credentials;
    }

    /** What went wrong: one line per failed statement, scrubbed of values, and the servers they failed on. */
    public record Outcome(List<String> failures, Set<String> failedPods) {
    }

    /**
     * Runs the plan's statements, then its label changes. A server whose statement fails gets no further statement in
     * this pass (the next pass observes it again). A failover's fencing ({@link ReplicationAction.StopReceiving}) comes
     * first and runs on all its replicas at once: each may wait for a connection attempt to the lost primary to end.
     */
    public Outcome execute(ReplicationPlan plan, ServerObserver.Observed observed, Labeler labeler) {
        List<String> failures = new ArrayList<>();
        Set<String> failed = new HashSet<>();
        List<ReplicationAction.StopReceiving> fencing = plan.actions().stream()
                .filter(ReplicationAction.StopReceiving.class::isInstance).map(ReplicationAction.StopReceiving.class::cast).toList();
        stopReceivingTogether(fencing, observed).forEach((stop, error) -> {
            failed.add(stop.pod());
            failures.add(failure(stop, error));
        });
        for (ReplicationAction action : plan.actions()) {
            if (action instanceof ReplicationAction.StopReceiving || failed.contains(action.pod())) {
                continue;
            }
            try {
                if (action instanceof ReplicationAction.Switchover switchover) {
                    switchover(observed.session(switchover.pod()), observed.session(switchover.to()), switchover);
                } else {
                    run(action, observed.session(action.pod()));
                }
            } catch (SQLException e) {
                failed.add(action.pod());
                failures.add(failure(action, e.getMessage()));
            }
        }
        for (Map.Entry<String, String> label : plan.labels().entrySet()) {
            LOG.infof("Pod %s: role label %s", label.getKey(), label.getValue() == null ? "removed" : label.getValue());
            labeler.label(label.getKey(), label.getValue());
        }
        return new Outcome(failures, failed);
    }

    private static String failure(ReplicationAction action, String error) {
        LOG.warnf("%s: %s failed: %s", action.pod(), action.getClass().getSimpleName(), error);
        return action.pod() + ": " + action.getClass().getSimpleName() + " failed: " + error;
    }

    /**
     * Fencing for a failover, on every replica at once: MariaDB's STOP SLAVE waits for a connection attempt to the lost
     * primary to end (a frozen one answers nothing for up to twice slave_net_timeout), and one replica after the other
     * would add those waits up. Answers the failed actions with their errors.
     */
    private Map<ReplicationAction.StopReceiving, String> stopReceivingTogether(List<ReplicationAction.StopReceiving> stops,
                                                                             ServerObserver.Observed observed) {
        if (stops.isEmpty()) {
            return Map.of();
        }
        Map<ReplicationAction.StopReceiving, Future<?>> running = new LinkedHashMap<>();
        Map<ReplicationAction.StopReceiving, String> errors = new LinkedHashMap<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ReplicationAction.StopReceiving stop : stops) {
                SqlSession session = observed.session(stop.pod());
                LOG.infof("Failover: replica %s stops receiving from the lost primary", stop.pod());
                running.put(stop, threads.submit(() -> {
                    session.executeWaiting(STOP_RECEIVING_WAIT, dialect.stopReplicaIo());
                    return null;
                }));
            }
            for (Map.Entry<ReplicationAction.StopReceiving, Future<?>> stop : running.entrySet()) {
                try {
                    stop.getValue().get();
                } catch (ExecutionException e) {
                    errors.put(stop.getKey(), e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    errors.put(stop.getKey(), "interrupted");
                }
            }
        }
        return errors;
    }

    private void run(ReplicationAction action, SqlSession server) throws SQLException {
        switch (action) {
            case ReplicationAction.MakeWritable writable -> {
                LOG.infof("Primary %s holds every replica's transactions: it takes writes", writable.pod());
                executeAll(server, dialect.makeWritable());
                // A fence interrupted half-way may have left clients refused.
                executeAll(server, dialect.admitClients());
            }
            case ReplicationAction.BootstrapApp bootstrap -> bootstrap(server, bootstrap.pod());
            case ReplicationAction.EnableSemiSync semiSync -> {
                LOG.infof("Primary %s: each commit waits for %d replica acknowledgement(s)", semiSync.pod(), semiSync.waitForReplicas());
                if (dialect.semiSyncWaitCount() != null) {
                    server.execute(dialect.semiSyncWaitCount(), semiSync.waitForReplicas());
                }
                server.execute(dialect.enableSemiSync());
            }
            case ReplicationAction.DisableSemiSync semiSync -> {
                LOG.infof("%s: commits no longer wait for replica acknowledgements", semiSync.pod());
                server.execute(dialect.disableSemiSync());
            }
            case ReplicationAction.Fence fence -> fence(server, fence.pod());
            case ReplicationAction.ClearOwnTransactions clear -> {
                LOG.infof("Replica %s holds only its own initialisation transactions: clearing them", clear.pod());
                executeAll(server, dialect.resetOwnTransactions());
            }
            case ReplicationAction.ReplicateFromPrimary point -> {
                LOG.infof("Replica %s now replicates from %s:%d", point.pod(), point.primaryHost(), point.primaryPort());
                if (point.wasConfigured()) {
                    server.execute(dialect.stopReplica());
                }
                server.execute(dialect.resetReplica());
                executeAll(server, dialect.alignReplicaPosition());
                server.execute(dialect.changeSource(), point.primaryHost(), point.primaryPort(), DatabaseCredentials.REPLICATION_USER,
                        credentials.replicationPassword());
                server.execute(dialect.startReplica());
            }
            case ReplicationAction.StartReplication start -> {
                LOG.infof("Replica %s is stopped: starting replication", start.pod());
                server.execute(dialect.startReplica());
            }
            case ReplicationAction.StopReceiving stop -> throw new IllegalArgumentException("replicas stop receiving together");
            case ReplicationAction.Promote promote -> promote(server, promote);
            case ReplicationAction.Switchover switchover -> throw new IllegalArgumentException("a switchover needs two sessions");
        }
    }

    /**
     * The candidate applies what it received (a bounded wait: a replica still applying fails this pass and the next pass
     * tries again), then forgets its source. It takes writes once it is the recorded primary.
     */
    private void promote(SqlSession candidate, ReplicationAction.Promote promote) throws SQLException {
        if (!promote.receivedGtids().isBlank()) {
            long waited = candidate.queryLong(dialect.waitForApplied(), promote.receivedGtids(), APPLY_WAIT.toSeconds());
            if (waited != 0) {
                throw new SQLException("still applying what it received after " + APPLY_WAIT.toSeconds() + " s");
            }
        }
        candidate.execute(dialect.stopReplica());
        candidate.execute(dialect.resetReplica());
        LOG.infof("Failover: %s applied everything it received and no longer replicates: it becomes the primary", promote.pod());
    }

    /**
     * Demote, wait, promote, each bounded: the primary refuses clients, kills their sessions and becomes read-only (its
     * acknowledgements still arrive, so no commit is left waiting); the target applies everything the primary executed
     * and forgets its source. Any failure puts the old primary back to work and fails the action.
     */
    private void switchover(SqlSession primary, SqlSession target, ReplicationAction.Switchover switchover) throws SQLException {
        LOG.infof("Switchover requested: %s hands the primary over to %s", switchover.pod(), switchover.to());
        try {
            // Clients are not refused here (MySQL's offline mode would cut the replicas off too, and the commits they
            // acknowledge are what read-only waits for): a client that reconnects in between commits as usual, and
            // the target waits for that as well.
            boundLockWaits(primary);
            killClientSessions(primary);
            executeAll(primary, dialect.makeReadOnly());
            killClientSessions(primary);
            String position = primary.queryString(dialect.executedPosition());
            long waited = target.queryLong(dialect.waitForApplied(), position, APPLY_WAIT.toSeconds());
            if (waited != 0) {
                throw new SQLException(switchover.to() + " did not apply everything " + switchover.pod() + " executed within "
                        + APPLY_WAIT.toSeconds() + " s");
            }
            target.execute(dialect.stopReplica());
            target.execute(dialect.resetReplica());
        } catch (SQLException e) {
            LOG.warnf("Switchover from %s to %s abandoned (%s): %s takes writes again", switchover.pod(), switchover.to(), e.getMessage(),
                    switchover.pod());
            executeAll(primary, dialect.makeWritable());
            throw e;
        }
        LOG.infof("Switchover: %s applied everything %s executed and no longer replicates: it becomes the primary", switchover.to(),
                switchover.pod());
    }

    /**
     * Clients first: they are refused and their sessions killed, so a commit still waiting for an acknowledgement can no
     * longer be answered. Then the server stops waiting for acknowledgements (those commits held the lock read-only mode
     * needs; they now finish locally, never acknowledged, and make the server's extra transactions), and becomes
     * read-only. Replication's own threads and this session stay.
     */
    private void fence(SqlSession server, String pod) throws SQLException {
        boundLockWaits(server);
        executeAll(server, dialect.refuseClients());
        int killed = killClientSessions(server);
        server.execute(dialect.disableSemiSync());
        executeAll(server, dialect.makeReadOnly());
        killed += killClientSessions(server);
        executeAll(server, dialect.admitClients());
        LOG.infof("%s is not the primary: %d client session(s) killed, read-only", pod, killed);
    }

    /**
     * Read-only mode waits for the global read lock, as long as lock_wait_timeout says (a year by default): bounded well
     * under the session's socket timeout, a blocked step fails with the session intact, and the rollback can run.
     */
    private static void boundLockWaits(SqlSession server) throws SQLException {
        server.execute("SET SESSION lock_wait_timeout = ?", LOCK_WAIT.toSeconds());
    }

    private static int killClientSessions(SqlSession server) throws SQLException {
        int killed = 0;
        for (Map<String, Object> session : server.query("SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()"
                + " AND USER NOT IN ('system user', 'event_scheduler') AND COMMAND NOT IN ('Daemon', 'Binlog Dump', 'Binlog Dump GTID')")) {
            try {
                server.execute("KILL ?", ((Number) session.get("ID")).longValue());
                killed++;
            } catch (SQLException e) {
                if (e.getErrorCode() != UNKNOWN_THREAD) {
                    throw e;
                }
            }
        }
        return killed;
    }

    private void bootstrap(SqlSession primary, String pod) throws SQLException {
        primary.execute("CREATE DATABASE IF NOT EXISTS `" + Names.APP_DATABASE + "` CHARACTER SET utf8mb4");
        ensureUser(primary, Names.APP_USER, credentials.appPassword(), APP_GRANT);
        ensureUser(primary, DatabaseCredentials.REPLICATION_USER, credentials.replicationPassword(), dialect.replicationGrant());
        LOG.infof("Primary %s bootstrapped: database %s, users %s and %s", pod, Names.APP_DATABASE, Names.APP_USER,
                DatabaseCredentials.REPLICATION_USER);
    }

    private static void ensureUser(SqlSession server, String user, String password, String grant) throws SQLException {
        if (server.queryLong("SELECT COUNT(*) FROM mysql.user WHERE User = ? AND Host = '%'", user) > 0) {
            return;
        }
        server.execute("CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?", user, password);
        server.execute(grant, user);
    }

    private static void executeAll(SqlSession server, Iterable<String> statements) throws SQLException {
        for (String statement : statements) {
            server.execute(statement);
        }
    }
}
