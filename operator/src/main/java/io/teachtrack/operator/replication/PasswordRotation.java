package io.teachtrack.operator.replication;

import io.teachtrack.operator.mysql.SqlSession;

import java.sql.SQLException;

/**
 * What a password rotation does next, from what one pass observes: a password the account refuses is set with the old
 * one kept; the old one is discarded once nothing uses it any more. Shared by the app and the replication users.
 */
final class PasswordRotation {

    /** ER_ACCESS_DENIED_ERROR: the password does not open the account. */
    private static final int ACCESS_DENIED = 1045;

    enum Step { NONE, SET_KEEPING_OLD, WAIT, DISCARD_OLD }

    /** Logs in as the rotated user with a password on the primary. */
    @FunctionalInterface
    interface Login {
        SqlSession open(String password) throws SQLException;
    }

    private PasswordRotation() {
    }

    /**
     * @param secretPasswordWorks the Secret's password opens the account
     * @param oldPasswordKept     the account accepts another password too
     * @param oldPasswordUnused   whatever logged in with the old password has moved to the new one
     */
    static Step decide(boolean secretPasswordWorks, boolean oldPasswordKept, boolean oldPasswordUnused) {
        if (!secretPasswordWorks) {
            return Step.SET_KEEPING_OLD;
        }
        if (oldPasswordKept) {
            return oldPasswordUnused ? Step.DISCARD_OLD : Step.WAIT;
        }
        return Step.NONE;
    }

    /** Whether the password opens the account; false when the server refuses it. */
    static boolean opens(Login login, String password) throws SQLException {
        try (SqlSession ignored = login.open(password)) {
            return true;
        } catch (SQLException e) {
            if (accessDenied(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Whether the server refused the login's user and password (and not, say, the connection). */
    static boolean accessDenied(SQLException e) {
        return e.getErrorCode() == ACCESS_DENIED;
    }
}
