package io.teachtrack.operator.replication;

import io.teachtrack.operator.mysql.DatabaseCredentials;
import io.teachtrack.operator.mysql.Dialect;
import io.teachtrack.operator.mysql.SqlSession;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.Map;

/**
 * The replication user's password follows the credentials Secret: when the Secret's password does not open the
 * account, it is set on the primary with the old one still accepted (replicas connected with it keep receiving); then,
 * once every replica answers, each is stopped, given the new password and started again, one at a time, and the old
 * password is discarded. Which password a replica holds cannot be read back, so a pass that could not finish starts
 * the re-pointing over; it is idempotent.
 */
final class ReplicationPasswordRotation {

    private static final Logger LOG = Logger.getLogger(ReplicationPasswordRotation.class);

    private ReplicationPasswordRotation() {
    }

    /**
     * One pass: {@code replicas} are the sessions (as root) to the replicas that replicate from the primary, by pod;
     * {@code everyReplicaAnswers} is false while any member but the primary is unreachable.
     */
    static void run(Dialect dialect, SqlSession primary, PasswordRotation.Login login, String secretPassword,
                    Map<String, SqlSession> replicas, boolean everyReplicaAnswers, String where) throws SQLException {
        String user = DatabaseCredentials.REPLICATION_USER;
        PasswordRotation.Step step = PasswordRotation.decide(PasswordRotation.opens(login, secretPassword),
                dialect.keepsOldPassword(primary, user), everyReplicaAnswers);
        if (step == PasswordRotation.Step.SET_KEEPING_OLD) {
            dialect.setPasswordKeepingOld(primary, user, secretPassword);
            LOG.infof("%s: the replication password changed in the Secret; the primary accepts the new one and the old one", where);
            step = PasswordRotation.decide(true, true, everyReplicaAnswers);
        }
        if (step == PasswordRotation.Step.DISCARD_OLD) {
            for (Map.Entry<String, SqlSession> replica : replicas.entrySet()) {
                replica.getValue().execute(dialect.stopReplica());
                replica.getValue().execute(dialect.changeSourcePassword(), secretPassword);
                replica.getValue().execute(dialect.startReplica());
            }
            dialect.discardOldPassword(primary, user, secretPassword);
            LOG.infof("%s: %d replicas replicate with the new replication password; the old one no longer opens the primary", where,
                    replicas.size());
        }
    }
}
