package io.teachtrack.api.db;

import org.jdbi.v3.core.ConnectionException;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** Classifies database failures by what the caller should do, looking through Jdbi's wrappers. */
public final class SqlErrors {

    /** SQLSTATE class 08: connection exception. */
    private static final String CONNECTION_CLASS = "08";
    /** SQLSTATE 23000 with MySQL error 1062: duplicate key. */
    private static final int DUPLICATE_KEY = 1062;
    /** MySQL errors 1451/1452: a foreign key has no parent, or a parent still has children. */
    private static final int FOREIGN_KEY_PARENT_MISSING = 1452;
    private static final int FOREIGN_KEY_CHILD_EXISTS = 1451;

    /**
     * A server that no longer is the primary: read-only (1290 ER_OPTION_PREVENTS_STATEMENT, 1836 ER_READ_ONLY_MODE),
     * refusing clients while it is fenced (3032 ER_SERVER_OFFLINE_MODE), the session killed by the fence (1927
     * MariaDB's ER_CONNECTION_KILLED) or by a shutdown (1053), or a commit refused by the semi-sync hook of a server
     * shutting down (3100 ER_RUN_HOOK_ERROR on 'before_commit': nothing was committed; B5 met it when a primary pod
     * was deleted under writes).
     */
    private static final Set<Integer> NOT_THE_PRIMARY = Set.of(1290, 1836, 3032, 1927, 1053, 3100);

    private SqlErrors() {
    }

    /**
     * The connection reached a server that stopped being the primary (a failover or switchover fenced it): answer 503 and
     * discard the connection, so the next one resolves the primary's Service again.
     */
    public static boolean isNotThePrimary(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && NOT_THE_PRIMARY.contains(sql.getErrorCode())) {
                return true;
            }
        }
        return false;
    }

    /** The server could not be reached or the connection broke: retry elsewhere, or answer 503. */
    public static boolean isConnectionFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectionException || t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith(CONNECTION_CLASS)) {
                return true;
            }
        }
        return false;
    }

    public static boolean isDuplicateKey(Throwable error) {
        return vendorCode(error) == DUPLICATE_KEY;
    }

    public static boolean isForeignKeyViolation(Throwable error) {
        int code = vendorCode(error);
        return code == FOREIGN_KEY_PARENT_MISSING || code == FOREIGN_KEY_CHILD_EXISTS;
    }

    private static int vendorCode(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLIntegrityConstraintViolationException sql) {
                return sql.getErrorCode();
            }
        }
        return 0;
    }
}
