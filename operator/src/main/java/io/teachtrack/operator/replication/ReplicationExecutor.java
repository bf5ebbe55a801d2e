package io.teachtrack.operator.replication;

import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.mysql.DatabaseCredentials;
import io.teachtrack.operator.mysql.Dialect;
import io.teachtrack.operator.mysql.SqlSession;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Carries out a {@link ReplicationPlan}: its statements on the sessions the observation opened, in order, then its
 * label changes. Every value is a bound parameter; passwords never reach a log line.
 */
public final class ReplicationExecutor {

    private static final Logger LOG = Logger.getLogger(ReplicationExecutor.class);
    /** Privileges of the app user: its own database, and DDL there for the API's migrations. */
    static final String APP_GRANT = "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES,"
            + " CREATE TEMPORARY TABLES, LOCK TABLES, CREATE VIEW, SHOW VIEW, TRIGGER ON `" + Names.APP_DATABASE + "`.* TO ?@'%'";

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

    /**
     * Runs the plan's statements, then its label changes. A server whose statement fails gets no further statement in
     * this pass (the next pass observes it again); the failures come back, one line each, scrubbed of values.
     */
    public List<String> execute(ReplicationPlan plan, ServerObserver.Observed observed, Labeler labeler) {
        List<String> failures = new ArrayList<>();
        Set<String> failed = new HashSet<>();
        for (ReplicationAction action : plan.actions()) {
            if (failed.contains(action.pod())) {
                continue;
            }
            try {
                run(action, observed.session(action.pod()));
            } catch (SQLException e) {
                failed.add(action.pod());
                failures.add(action.pod() + ": " + action.getClass().getSimpleName() + " failed: " + e.getMessage());
                LOG.warnf("%s: %s failed: %s", action.pod(), action.getClass().getSimpleName(), e.getMessage());
            }
        }
        for (Map.Entry<String, String> label : plan.labels().entrySet()) {
            LOG.infof("Pod %s: role label %s", label.getKey(), label.getValue() == null ? "removed" : label.getValue());
            labeler.label(label.getKey(), label.getValue());
        }
        return failures;
    }

    private void run(ReplicationAction action, SqlSession server) throws SQLException {
        switch (action) {
            case ReplicationAction.MakeWritable writable -> {
                LOG.infof("Primary %s holds every replica's transactions: it takes writes", writable.pod());
                executeAll(server, dialect.makeWritable());
            }
            case ReplicationAction.BootstrapApp bootstrap -> bootstrap(server, bootstrap.pod());
            case ReplicationAction.MakeReadOnly readOnly -> executeAll(server, dialect.makeReadOnly());
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
                server.execute(dialect.changeSource(), point.primaryHost(), point.primaryPort(), DatabaseCredentials.REPLICATION_USER,
                        credentials.replicationPassword());
                server.execute(dialect.startReplica());
            }
            case ReplicationAction.StartReplication start -> {
                LOG.infof("Replica %s is stopped: starting replication", start.pod());
                server.execute(dialect.startReplica());
            }
        }
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
