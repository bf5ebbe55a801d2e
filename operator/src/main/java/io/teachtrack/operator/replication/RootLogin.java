package io.teachtrack.operator.replication;

import io.teachtrack.operator.mysql.Dialect;
import io.teachtrack.operator.mysql.SqlSession;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's root login to each server, which also rotates the root password. The Secret's
 * {@code mysql-root-password} is tried first; a server that refuses it is opened with the password the operator last saw
 * every server accept (the Secret's {@code mysql-root-password-applied}) and given the Secret's at once. Nothing else
 * logs in as root, so no client ever sees the change. A server that refuses both is reported as refusing credentials.
 *
 * <p>One instance serves one pass: it counts the servers now on the Secret's password, so the step records the new
 * value as applied only once every server has it.
 */
final class RootLogin implements ServerObserver.Connector {

    private static final Logger LOG = Logger.getLogger(RootLogin.class);

    /** Opens a root session to a server with a password. */
    @FunctionalInterface
    interface Opener {
        SqlSession open(String host, int port, String password) throws SQLException;
    }

    private final Dialect dialect;
    private final Opener opener;
    private final String secretPassword;
    private final String appliedPassword;
    private final String where;
    private final Set<String> onSecretPassword = new TreeSet<>();
    private final Set<String> rotated = new TreeSet<>();

    /**
     * @param appliedPassword the password last recorded as accepted everywhere, or null when none is recorded yet
     * @param where           names the TeachTrack in log lines
     */
    RootLogin(Dialect dialect, Opener opener, String secretPassword, String appliedPassword, String where) {
        this.dialect = dialect;
        this.opener = opener;
        this.secretPassword = Objects.requireNonNull(secretPassword);
        this.appliedPassword = appliedPassword;
        this.where = where;
    }

    @Override
    public SqlSession open(String host, int port) throws SQLException {
        SqlSession session;
        try {
            session = opener.open(host, port, secretPassword);
        } catch (SQLException refused) {
            if (!PasswordRotation.accessDenied(refused) || appliedPassword == null || appliedPassword.equals(secretPassword)) {
                throw refused;
            }
            session = openWithApplied(host, port, refused);
            try {
                dialect.setRootPassword(session, secretPassword);
            } catch (SQLException | RuntimeException e) {
                session.close();
                throw e;
            }
            rotated.add(host + ":" + port);
            LOG.infof("%s: the root password of %s now follows the credentials Secret", where, host);
        }
        onSecretPassword.add(host + ":" + port);
        return session;
    }

    private SqlSession openWithApplied(String host, int port, SQLException refused) throws SQLException {
        try {
            return opener.open(host, port, appliedPassword);
        } catch (SQLException e) {
            if (PasswordRotation.accessDenied(e)) {
                // Neither password: report the Secret's refusal, which names what a person has to fix.
                throw refused;
            }
            throw e;
        }
    }

    /** The servers (host:port) that accept the Secret's password now, rotated in this pass or before. */
    Set<String> onSecretPassword() {
        return Set.copyOf(onSecretPassword);
    }

    /** The servers whose root password this pass changed. */
    Set<String> rotated() {
        return Set.copyOf(rotated);
    }

    /** Whether the Secret's password is not the one recorded as applied: recording it is due once every server has it. */
    boolean recordDue() {
        return !secretPassword.equals(appliedPassword);
    }
}
