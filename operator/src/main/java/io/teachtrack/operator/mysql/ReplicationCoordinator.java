package io.teachtrack.operator.mysql;

import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.model.Names;
import org.jboss.logging.Logger;

import java.sql.SQLException;

/**
 * Bootstraps and watches GTID replication over JDBC, one server at a time, idempotently: each call looks at
 * what the server is and changes only what differs from what it should be, so a healthy cluster sees no
 * change at all.
 */
public final class ReplicationCoordinator {

    private static final Logger LOG = Logger.getLogger(ReplicationCoordinator.class);
    /** Privileges of the app user: its own database, and DDL there for the API's migrations. */
    static final String APP_GRANT = "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES,"
            + " CREATE TEMPORARY TABLES, LOCK TABLES, CREATE VIEW, SHOW VIEW, TRIGGER ON `" + Names.APP_DATABASE + "`.* TO ?@'%'";

    private final Dialect dialect;

    public ReplicationCoordinator(Dialect dialect) {
        this.dialect = dialect;
    }

    public Dialect dialect() {
        return dialect;
    }

    /**
     * On the primary: the app database, the app user (its database only), the replication user (replication
     * only), and writes allowed. Returns whether anything had to change.
     */
    public boolean ensurePrimary(SqlSession primary, DatabaseCredentials credentials) throws SQLException {
        boolean changed = false;
        // Every server starts read-only (super_read_only on MySQL refuses even root): writable first.
        if (primary.queryLong(dialect.readOnlyQuery()) != 0) {
            for (String statement : dialect.makeWritable()) {
                primary.execute(statement);
            }
            changed = true;
        }
        if (primary.queryLong("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", Names.APP_DATABASE) == 0) {
            primary.execute("CREATE DATABASE IF NOT EXISTS `" + Names.APP_DATABASE + "` CHARACTER SET utf8mb4");
            changed = true;
        }
        changed |= ensureUser(primary, Names.APP_USER, credentials.appPassword(), APP_GRANT);
        changed |= ensureUser(primary, DatabaseCredentials.REPLICATION_USER, credentials.replicationPassword(),
                dialect.replicationGrant());
        if (changed) {
            LOG.infof("Primary %s bootstrapped: database %s, users %s and %s", primary.server(), Names.APP_DATABASE,
                    Names.APP_USER, DatabaseCredentials.REPLICATION_USER);
        }
        return changed;
    }

    private static boolean ensureUser(SqlSession server, String user, String password, String grant) throws SQLException {
        if (server.queryLong("SELECT COUNT(*) FROM mysql.user WHERE User = ? AND Host = '%'", user) > 0) {
            return false;
        }
        server.execute("CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?", user, password);
        server.execute(grant, user);
        return true;
    }

    /**
     * Brings one replica to replicating from {@code sourceHost:sourcePort}, or reports why it will not: errant
     * transactions are never overwritten, a replica whose source purged the logs it needs must be seeded.
     * The returned state is what was observed before any repair, so a stop is always reported once.
     */
    public ReplicaStatus reconcileReplica(String name, SqlSession primary, SqlSession replica, String sourceHost, int sourcePort,
                                          DatabaseCredentials credentials) throws SQLException {
        ReplicaState observed = dialect.parseReplicaStatus(replica.queryRow(dialect.replicaStatus()));
        String replicaGtids = replica.queryString(dialect.executedGtids());
        String primaryGtids = primary.queryString(dialect.executedGtids());
        String errant = dialect.subtract(replica, replicaGtids, primaryGtids);

        if (!observed.configured()) {
            if (!errant.isEmpty()) {
                if (dialect.onlyOwnTransactions(replica, replicaGtids) && !hasUserSchemas(replica)) {
                    // Nothing but what the server wrote while initialising itself: safe to forget.
                    LOG.infof("Replica %s holds only its own initialisation transactions (%s): clearing them", name, errant);
                    for (String statement : dialect.resetOwnTransactions()) {
                        replica.execute(statement);
                    }
                    replicaGtids = "";
                } else {
                    return status(name, ReplicaStates.ERRANT_TRANSACTIONS, observed,
                            "Holds transactions the primary does not have: " + errant + "; left untouched");
                }
            }
            String unreachable = dialect.subtract(primary, dialect.purgedGtids(primary), replicaGtids);
            if (!unreachable.isEmpty()) {
                return status(name, ReplicaStates.NEEDS_SEEDING, observed, "The primary no longer has the binary logs for "
                        + unreachable + "; the replica must be seeded from a copy of the primary before it can replicate");
            }
            ensureReadOnly(replica);
            pointAtSource(replica, sourceHost, sourcePort, credentials);
            LOG.infof("Replica %s now replicates from %s:%d", name, sourceHost, sourcePort);
            return status(name, ReplicaStates.CONNECTING, observed, null);
        }

        if (!errant.isEmpty()) {
            return status(name, ReplicaStates.ERRANT_TRANSACTIONS, observed,
                    "Holds transactions the primary does not have: " + errant + "; left untouched");
        }
        ensureReadOnly(replica);
        if (!sourceHost.equals(observed.sourceHost()) || observed.sourcePort() == null || observed.sourcePort() != sourcePort) {
            LOG.infof("Replica %s replicates from %s:%s, not %s:%d: re-pointing it", name, observed.sourceHost(),
                    observed.sourcePort(), sourceHost, sourcePort);
            replica.execute(dialect.stopReplica());
            pointAtSource(replica, sourceHost, sourcePort, credentials);
            return status(name, ReplicaStates.CONNECTING, observed, null);
        }
        if (observed.running()) {
            return status(name, ReplicaStates.RUNNING, observed, null);
        }
        if (observed.needsSeeding()) {
            return status(name, ReplicaStates.NEEDS_SEEDING, observed,
                    "The primary no longer has the binary logs this replica needs; it must be seeded from a copy of the primary");
        }
        if (observed.sqlRunning() && observed.ioConnecting()) {
            return status(name, ReplicaStates.CONNECTING, observed, null);
        }
        if (observed.transientFailure()) {
            LOG.infof("Replica %s is stopped (%s): starting replication", name,
                    observed.lastError() == null ? "no error" : observed.lastError());
            replica.execute(dialect.startReplica());
            return status(name, observed.lastError() == null ? ReplicaStates.STOPPED : ReplicaStates.ERROR, observed, null);
        }
        return status(name, ReplicaStates.ERROR, observed, null);
    }

    private void ensureReadOnly(SqlSession replica) throws SQLException {
        if (replica.queryLong(dialect.readOnlyQuery()) == 0) {
            for (String statement : dialect.makeReadOnly()) {
                replica.execute(statement);
            }
        }
    }

    private void pointAtSource(SqlSession replica, String host, int port, DatabaseCredentials credentials) throws SQLException {
        replica.execute(dialect.resetReplica());
        replica.execute(dialect.changeSource(), host, port, DatabaseCredentials.REPLICATION_USER, credentials.replicationPassword());
        replica.execute(dialect.startReplica());
    }

    private static boolean hasUserSchemas(SqlSession server) throws SQLException {
        return server.queryLong("SELECT COUNT(*) FROM information_schema.SCHEMATA"
                + " WHERE SCHEMA_NAME NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')") > 0;
    }

    static ReplicaStatus status(String name, String state, ReplicaState observed, String message) {
        ReplicaStatus status = new ReplicaStatus();
        status.setName(name);
        status.setState(state);
        status.setIoRunning(observed.ioRunning());
        status.setSqlRunning(observed.sqlRunning());
        status.setLagSeconds(observed.secondsBehind());
        status.setLastError(message != null ? message : observed.lastError());
        return status;
    }

    /** A replica that could not be reached at all. */
    public static ReplicaStatus unreachable(String name, String error) {
        ReplicaStatus status = new ReplicaStatus();
        status.setName(name);
        status.setState(ReplicaStates.UNREACHABLE);
        status.setIoRunning(false);
        status.setSqlRunning(false);
        status.setLastError(error);
        return status;
    }
}
