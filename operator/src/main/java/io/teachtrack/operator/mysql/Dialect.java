package io.teachtrack.operator.mysql;

import io.teachtrack.operator.api.v1alpha1.MysqlEngine;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Everything that differs between MySQL (8.4, 9.7) and MariaDB (11.4, 11.8): the server's configuration file, its admin
 * client, and the SQL that bootstraps and watches replication. One implementation per engine is the only place that
 * knows an engine. SQL values are always {@code ?} parameters, bound by the driver; nothing here concatenates a value
 * into SQL.
 */
public interface Dialect {

    MysqlEngine engine();

    /** The engine's my.cnf, a resource under {@code src/main/resources/mysql/}. */
    String configFile();

    /** The admin client in the engine's image (the readiness probe pings with it). */
    String adminClient();

    static Dialect of(MysqlEngine engine) {
        return engine == MysqlEngine.MariaDB ? new MariaDbDialect() : new MySqlDialect();
    }

    /** Points a replica at its source with GTID auto-positioning. Parameters: host, port, user, password. */
    String changeSource();

    String startReplica();

    String stopReplica();

    /** Stops only the receiving thread: the replica applies what it has, and takes nothing more from its source. */
    String stopReplicaIo();

    /** Makes the server's replication position its own history before it is pointed at a source (a former primary's is stale). */
    List<String> alignReplicaPosition();

    /** Forgets the replica configuration entirely (used before re-pointing a replica). */
    String resetReplica();

    /** Clears a server's own binary log and GTID history (only on a fresh replica that holds nothing real). */
    List<String> resetOwnTransactions();

    String replicaStatus();

    /** Parses one row of {@link #replicaStatus()}; a missing row means no source was ever configured. */
    ReplicaState parseReplicaStatus(Map<String, Object> row);

    /**
     * While a server is being fenced: statements that keep ordinary clients out (first list) and let them in again
     * (second list). Empty where the engine has no such switch.
     */
    List<String> refuseClients();

    List<String> admitClients();

    /** Statements that make a server refuse writes from everyone but replication. */
    List<String> makeReadOnly();

    List<String> makeWritable();

    /** A query answering one row with the column {@code read_only} (1 when the server refuses writes). */
    String readOnlyQuery();

    /** A query answering the server's executed GTIDs in column {@code gtids}. */
    String executedGtids();

    /** The server's semi-synchronous replication as a source. */
    SemiSync semiSync(SqlSession server) throws SQLException;

    String enableSemiSync();

    String disableSemiSync();

    /** Sets how many replicas must acknowledge (parameter: the count), or null when the engine always waits for one. */
    String semiSyncWaitCount();

    /** A query answering, in one column, what the server executed as {@link #waitForApplied()} takes it. */
    String executedPosition();

    /**
     * Waits until the server applied every GTID it received. Parameters: the received GTIDs, a timeout in seconds; answers
     * one column, 0 once applied.
     */
    String waitForApplied();

    /** The grant the replication user needs, for user {@code ?@'%'}. */
    String replicationGrant();

    /** The GTIDs of {@code gtids} that {@code minus} does not contain ("" when none), e.g. a replica's errant ones. */
    String subtract(SqlSession server, String gtids, String minus) throws SQLException;

    /** GTIDs the server no longer has binary logs for: a new replica that lacks any of them must be seeded. */
    String purgedGtids(SqlSession server) throws SQLException;

    /** Whether all of a server's own executed GTIDs were written by that server itself. */
    boolean onlyOwnTransactions(SqlSession server, String gtids) throws SQLException;

    /**
     * {@code gtids} without those the server itself originated. A writable MySQL source sends a transaction to its
     * replicas once it is in the binary log, before its own executed set shows it: such a transaction on a replica is
     * on its way, not errant.
     */
    String withoutOwnTransactions(SqlSession server, String gtids) throws SQLException;

    /**
     * Gives user {@code ?@'%'} a new password and keeps accepting the one it had, so pods started with the old one
     * still log in until they are replaced (a password rotation's first half).
     */
    void setPasswordKeepingOld(SqlSession server, String user, String password) throws SQLException;

    /** Whether the user still accepts a password besides its current one (a rotation's second half is due). */
    boolean keepsOldPassword(SqlSession server, String user) throws SQLException;

    /** Sets the password a stopped replica logs in to its source with (parameter: the password). */
    String changeSourcePassword();

    /** Forgets the user's old password: only {@code password}, its current one, opens it from now on. */
    void discardOldPassword(SqlSession server, String user, String password) throws SQLException;

    /**
     * Sets the password of this one server's root accounts, as each start does from the Secret: not binary-logged
     * (every server keeps its own root accounts, and a replica gains no transaction of its own), and on a read-only
     * replica too.
     */
    void setRootPassword(SqlSession server, String password) throws SQLException;
}
