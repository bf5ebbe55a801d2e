package io.teachtrack.operator.replication;

import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.mysql.Dialect;
import io.teachtrack.operator.mysql.SqlSession;
import org.jboss.logging.Logger;

import java.sql.SQLException;

/**
 * The app user's password follows the credentials Secret: when the Secret's password does not open the account, it
 * is set with the old one still accepted (the running pods keep logging in, on replicas too: account changes
 * replicate); the API and worker pods then roll to the new Secret; once no pod started before is left, the old
 * password is discarded. Decided afresh from what each pass observes, so a restarted operator resumes where it was.
 */
public final class AppPasswordRotation {

    private static final Logger LOG = Logger.getLogger(AppPasswordRotation.class);
    /**
     * What this pass found, for the API and worker Deployments: {@code secretPasswordWorks} — their pods may be made
     * for the Secret's current values (the account accepts its password).
     */
    public record Outcome(boolean secretPasswordWorks) {
    }

    private AppPasswordRotation() {
    }

    /** One pass on the primary (as root); {@code where} names the TeachTrack in the log. Never logs a password. */
    static Outcome run(Dialect dialect, SqlSession primary, PasswordRotation.Login login, String secretPassword, boolean podsOnSecret, String where)
            throws SQLException {
        PasswordRotation.Step step = PasswordRotation.decide(PasswordRotation.opens(login, secretPassword),
                dialect.keepsOldPassword(primary, Names.APP_USER), podsOnSecret);
        switch (step) {
            case SET_KEEPING_OLD -> {
                dialect.setPasswordKeepingOld(primary, Names.APP_USER, secretPassword);
                LOG.infof("%s: the app password changed in the Secret; the database accepts the new one and, until every API and"
                        + " worker pod has restarted with it, the old one", where);
            }
            case DISCARD_OLD -> {
                dialect.discardOldPassword(primary, Names.APP_USER, secretPassword);
                LOG.infof("%s: every API and worker pod uses the new app password; the old one no longer opens the database", where);
            }
            case WAIT, NONE -> {
            }
        }
        return new Outcome(true);
    }
}
