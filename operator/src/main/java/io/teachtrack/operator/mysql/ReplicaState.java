package io.teachtrack.operator.mysql;

import java.util.Set;

/**
 * One replica's replication as {@code SHOW REPLICA STATUS} / {@code SHOW SLAVE STATUS} reports it.
 * {@code configured} is false when the statement returns no row (no source was ever set); {@code receivedGtids} are
 * the GTIDs its receiving thread got from the source (MySQL's retrieved set, MariaDB's IO position).
 */
public record ReplicaState(boolean configured, String sourceHost, Integer sourcePort, boolean ioRunning,
                           boolean ioConnecting, boolean sqlRunning, Long secondsBehind, int lastIoErrno,
                           String lastIoError, int lastSqlErrno, String lastSqlError, String receivedGtids) {

    public static final ReplicaState NOT_CONFIGURED =
            new ReplicaState(false, null, null, false, false, false, null, 0, "", 0, "", "");

    public boolean running() {
        return ioRunning && sqlRunning;
    }

    /** The most relevant error, SQL thread first (it stops applying), else the IO thread's. */
    public String lastError() {
        if (lastSqlErrno != 0) {
            return "SQL thread error " + lastSqlErrno + ": " + lastSqlError;
        }
        if (lastIoErrno != 0) {
            return "IO thread error " + lastIoErrno + ": " + lastIoError;
        }
        return null;
    }

    /**
     * Errors that a restart can cure: the source went away or was not reachable (2003 can't connect, 2005
     * unknown host, 2013 lost connection, 2026 TLS, 1040 too many connections, 1045 access denied while a
     * password rotates). SQL thread errors mean data diverged and are never retried blindly.
     */
    public boolean transientFailure() {
        return lastSqlErrno == 0 && Set.of(0, 1040, 1045, 1129, 1158, 1159, 2002, 2003, 2005, 2006, 2013, 2026)
                .contains(lastIoErrno);
    }

    /**
     * The source no longer has the binary logs this replica needs: MariaDB reports the source's error 1236 as is,
     * MySQL wraps it as 13114 (ER_SERVER_SOURCE_FATAL_ERROR_READING_BINLOG).
     */
    public boolean needsSeeding() {
        return lastIoErrno == 1236 || lastIoErrno == 13114;
    }
}
