package io.teachtrack.operator.replication;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.config.OperatorSettings;
import io.teachtrack.operator.model.CredentialKeys;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.MysqlMembers;
import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.model.SecretData;
import io.teachtrack.operator.mysql.DatabaseCredentials;
import io.teachtrack.operator.mysql.Dialect;
import io.teachtrack.operator.mysql.SqlSession;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.HttpURLConnection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The replication step: observes every MySQL server of the TeachTrack over JDBC (by pod DNS name, or by pod IP for
 * operators outside the cluster), lets {@link ReplicationDecision} decide, has {@link ReplicationExecutor} act, and
 * reports what it found as the ReplicationReady condition and {@code status.mysql}.
 */
@ApplicationScoped
public class JdbcReplicationStep implements ReplicationStep {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);

    private final OperatorSettings settings;

    public JdbcReplicationStep(OperatorSettings settings) {
        this.settings = settings;
    }

    @Override
    public ReplicationReport reconcile(TeachTrack tt, Context<TeachTrack> context) {
        DatabaseCredentials credentials = credentials(tt, context);
        String primaryPod = MysqlMembers.primaryPod(tt);
        if (credentials == null) {
            return new ReplicationReport(primaryPod, "Unknown", "WaitingForCredentials", "Secret " + Names.credentials(tt)
                    + " is not complete yet", false, 0, null, List.of());
        }
        Dialect dialect = Dialect.of(tt.getSpec().getMysql().getEngine());
        Map<String, Pod> pods = context.getSecondaryResources(Pod.class).stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), Function.identity(), (a, b) -> a));
        List<ServerObserver.Member> members = new ArrayList<>();
        for (int ordinal = 0; ordinal < MysqlMembers.count(tt); ordinal++) {
            String pod = Names.mysqlPod(tt, ordinal);
            Pod found = pods.get(pod);
            String label = found == null || found.getMetadata().getLabels() == null ? null : found.getMetadata().getLabels().get(Labels.ROLE);
            members.add(new ServerObserver.Member(pod, ordinal, host(tt, pod, found), Names.MYSQL_PORT, label));
        }
        long maxLag = tt.getSpec().getApi().getReadSplit().getMaxReplicaLagSeconds();
        ServerObserver.Connector connector = (host, port) -> {
            if (host == null) {
                throw new SQLException("The pod has no address yet");
            }
            return SqlSession.open(host, port, DatabaseCredentials.ROOT_USER, credentials.rootPassword(), CONNECT_TIMEOUT, SOCKET_TIMEOUT);
        };
        try (ServerObserver.Observed observed = new ServerObserver(dialect)
                .observe(members, MysqlMembers.primaryOrdinal(tt), tt.getSpec().getMysql().getReplicas(), maxLag, connector)) {
            ReplicationPlan plan = ReplicationDecision.decide(observed.cluster());
            List<String> failures = new ReplicationExecutor(dialect, credentials).execute(plan, observed, (pod, role) -> label(tt, context, pod, role));
            return report(plan, failures, maxLag);
        }
    }

    /** Where the operator (and the other servers) reach a MySQL pod: its DNS name, or its IP once it runs (pod-ip mode). */
    private String host(TeachTrack tt, String pod, Pod found) {
        if (settings.mysql().addressMode() == OperatorSettings.AddressMode.DNS) {
            return Names.mysqlPodHost(tt, pod);
        }
        boolean running = found != null && found.getMetadata().getDeletionTimestamp() == null && found.getStatus() != null
                && "Running".equals(found.getStatus().getPhase());
        return running ? found.getStatus().getPodIP() : null;
    }

    private static void label(TeachTrack tt, Context<TeachTrack> context, String pod, String role) {
        // A merge patch of the one label: the values are the role names, never user input.
        String value = role == null ? "null" : "\"" + role + "\"";
        try {
            context.getClient().pods().inNamespace(tt.getMetadata().getNamespace()).withName(pod)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"" + Labels.ROLE + "\":" + value + "}}}");
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
            // The pod is gone (the cache had not seen it yet): there is no label left to move.
        }
    }

    static ReplicationReport report(ReplicationPlan plan, List<String> failures, long maxLag) {
        List<ReplicaStatus> replicas = plan.replicas();
        int ready = (int) replicas.stream().filter(r -> ReplicaStates.RUNNING.equals(r.getState())
                && r.getLagSeconds() != null && r.getLagSeconds() <= maxLag).count();
        Long lag = replicas.stream().map(ReplicaStatus::getLagSeconds).filter(Objects::nonNull).max(Long::compare).orElse(null);
        if (!failures.isEmpty()) {
            return new ReplicationReport(plan.primaryPod(), "False", "ReplicationActionFailed", String.join("; ", failures),
                    plan.appDatabaseReady(), ready, lag, replicas);
        }
        return new ReplicationReport(plan.primaryPod(), plan.status(), plan.reason(), plan.message(), plan.appDatabaseReady(), ready, lag,
                replicas);
    }

    private static DatabaseCredentials credentials(TeachTrack tt, Context<TeachTrack> context) {
        Secret secret = context.getSecondaryResources(Secret.class).stream()
                .filter(s -> Names.credentials(tt).equals(s.getMetadata().getName())).findFirst().orElse(null);
        if (secret == null || secret.getData() == null) {
            return null;
        }
        String root = SecretData.value(secret, CredentialKeys.MYSQL_ROOT_PASSWORD);
        String app = SecretData.value(secret, CredentialKeys.MYSQL_APP_PASSWORD);
        String replication = SecretData.value(secret, CredentialKeys.MYSQL_REPLICATION_PASSWORD);
        return root == null || app == null || replication == null ? null : new DatabaseCredentials(root, app, replication);
    }
}
