package io.teachtrack.operator.replication;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.model.CredentialsVersion;
import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.mysql.DatabaseCredentials;
import io.teachtrack.operator.mysql.Dialect;
import io.teachtrack.operator.mysql.SessionPool;
import io.teachtrack.operator.mysql.SqlSession;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The replication step's last part, once the primary takes writes: the app and replication users' passwords follow
 * the credentials Secret. A failure here is logged and retried by the next pass; it never fails the step.
 */
final class PasswordRotations {

    private static final Logger LOG = Logger.getLogger(PasswordRotations.class);

    private PasswordRotations() {
    }

    /**
     * Whether the Secret's passwords open their accounts is asked through the pass's {@code sessions}: a session the
     * previous pass opened with the same password, still alive, answers without a new login.
     */
    static void run(TeachTrack tt, Context<TeachTrack> context, Secret secret, ServerObserver.Observed observed, ServerObserver.Member primary,
                    DatabaseCredentials credentials, Dialect dialect, SessionPool.Pass sessions) {
        String where = JdbcReplicationStep.where(tt);
        app(tt, context, secret, observed, primary, credentials, dialect, where, sessions);
        replication(observed, primary, credentials, dialect, where, sessions);
    }

    /**
     * Keeps the app user's password in step with the Secret ({@link AppPasswordRotation}) and tells the API and worker
     * Deployments whether their pods may be made for the Secret's current values. Without an answer (a failure here),
     * they keep the version their pods have.
     */
    private static void app(TeachTrack tt, Context<TeachTrack> context, Secret secret, ServerObserver.Observed observed,
                            ServerObserver.Member primary, DatabaseCredentials credentials, Dialect dialect, String where,
                            SessionPool.Pass sessions) {
        String version = CredentialsVersion.of(secret, CredentialsVersion.APP_KEYS);
        boolean podsOnSecret = Stream.of(Names.api(tt), Names.worker(tt))
                .map(name -> context.getSecondaryResources(Deployment.class).stream().filter(d -> name.equals(d.getMetadata().getName()))
                        .findFirst().orElse(null))
                .allMatch(deployment -> deployment == null || CredentialsVersion.rolledOut(deployment, version));
        try {
            AppPasswordRotation.Outcome outcome = AppPasswordRotation.run(dialect, observed.session(primary.pod()),
                    password -> sessions.open(primary.host(), primary.port(), Names.APP_USER, password),
                    credentials.appPassword(), podsOnSecret, where);
            context.managedWorkflowAndDependentResourceContext().put(AppPasswordRotation.Outcome.class, outcome);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("%s: the app password was not checked against the Secret (the next pass tries again): %s", where, e.getMessage());
        }
    }

    /** Keeps the replication user's password in step with the Secret ({@link ReplicationPasswordRotation}). */
    private static void replication(ServerObserver.Observed observed, ServerObserver.Member primary, DatabaseCredentials credentials,
                                    Dialect dialect, String where, SessionPool.Pass sessions) {
        List<ServerState> replicas = observed.cluster().replicas();
        Map<String, SqlSession> replicating = new LinkedHashMap<>();
        replicas.stream().filter(r -> r.reachable() && r.replication().configured())
                .forEach(r -> replicating.put(r.pod(), observed.session(r.pod())));
        try {
            ReplicationPasswordRotation.run(dialect, observed.session(primary.pod()),
                    password -> sessions.open(primary.host(), primary.port(), DatabaseCredentials.REPLICATION_USER, password),
                    credentials.replicationPassword(), replicating, replicas.stream().allMatch(ServerState::reachable), where);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("%s: the replication password was not checked against the Secret (the next pass tries again): %s", where,
                    e.getMessage());
        }
    }
}
