package io.teachtrack.operator.replication;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.teachtrack.operator.api.v1alpha1.FailoverSpec;
import io.teachtrack.operator.api.v1alpha1.MysqlStatus;
import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.api.v1alpha1.SemiSyncStatus;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.config.OperatorSettings;
import io.teachtrack.operator.metrics.FailoverMetrics;
import io.teachtrack.operator.metrics.MysqlSessionMetrics;
import io.teachtrack.operator.model.CredentialKeys;
import io.teachtrack.operator.model.CredentialsModel;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.MysqlMembers;
import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.model.SecretData;
import io.teachtrack.operator.mysql.DatabaseCredentials;
import io.teachtrack.operator.mysql.Dialect;
import io.teachtrack.operator.mysql.SemiSync;
import io.teachtrack.operator.mysql.SessionPool;
import io.teachtrack.operator.mysql.SqlSession;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The replication step: observes every MySQL server of the TeachTrack over JDBC (by pod DNS name, or by pod IP for
 * operators outside the cluster), lets {@link ReplicationDecision} decide, has {@link ReplicationExecutor} act, and
 * reports what it found as the ReplicationReady condition and {@code status.mysql}.
 */
@ApplicationScoped
public class JdbcReplicationStep implements ReplicationStep {

    private static final Logger LOG = Logger.getLogger(JdbcReplicationStep.class);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);
    /** A kept session that does not answer its ping within this is replaced by a new connection in the same pass. */
    static final Duration PING_TIMEOUT = Duration.ofSeconds(1);

    private final OperatorSettings settings;
    private final FailoverMetrics failovers;
    private final PrimaryLoss primaryLoss = new PrimaryLoss(Clock.systemUTC());
    private final SessionPool sessions;

    public JdbcReplicationStep(OperatorSettings settings, FailoverMetrics failovers, MysqlSessionMetrics sessionMetrics) {
        this.settings = settings;
        this.failovers = failovers;
        // A TeachTrack's sessions outlive a few missed polls (a slow pass, a retry back-off), not its deletion.
        this.sessions = sessionPool(settings.mysql().pollInterval().multipliedBy(3).plusMinutes(1));
        sessionMetrics.watch(sessions);
    }

    /** Sessions as the step opens and keeps them: its timeouts, its ping. */
    static SessionPool sessionPool(Duration abandonedAfter) {
        return new SessionPool((host, port, user, password) -> SqlSession.open(host, port, user, password, CONNECT_TIMEOUT, SOCKET_TIMEOUT),
                PING_TIMEOUT, abandonedAfter, Clock.systemUTC());
    }

    @PreDestroy
    void closeSessions() {
        sessions.close();
    }

    @Override
    public ReplicationReport reconcile(TeachTrack tt, Context<TeachTrack> context) {
        // One lookup per pass: the credentials, the recorded primary and the rotations all read the same Secret.
        Secret secret = secret(tt, context);
        DatabaseCredentials credentials = credentials(secret);
        int primaryOrdinal = MysqlMembers.primaryOrdinal(tt, CredentialsModel.recordedPrimary(secret));
        String primaryPod = Names.mysqlPod(tt, primaryOrdinal);
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
            members.add(new ServerObserver.Member(pod, ordinal, host(settings.mysql().addressMode(), tt, pod, found), Names.MYSQL_PORT, label));
        }
        long maxLag = tt.getSpec().getApi().getReadSplit().getMaxReplicaLagSeconds();
        int semiSyncWait = SemiSync.required(tt.getSpec().getMysql().getReplicas(), dialect);
        SessionPool.Pass pass = sessions.pass(tt.getMetadata().getUid());
        RootLogin rootLogin = new RootLogin(dialect, (host, port, password) -> {
            if (host == null) {
                throw new SQLException("The pod is not running");
            }
            return pass.open(host, port, DatabaseCredentials.ROOT_USER, password);
        }, credentials.rootPassword(), SecretData.value(secret, CredentialKeys.MYSQL_ROOT_PASSWORD_APPLIED), where(tt));
        // The pass ends after the observation: the sessions the observation handed back are kept for the next one.
        try (pass; ServerObserver.Observed observed = new ServerObserver(dialect).observe(members, primaryOrdinal,
                tt.getSpec().getMysql().getReplicas(), maxLag, semiSyncWait, failover(tt), rootLogin)) {
            if (rootLogin.recordDue() && rootLogin.onSecretPassword().size() == members.size()) {
                recordAppliedRootPassword(tt, context, secret, credentials.rootPassword());
            }
            ServerState primary = observed.cluster().primary();
            ClusterState cluster = observed.cluster().withPrimaryLostFor(
                    primaryLoss.lostFor(tt.getMetadata().getUid() + "/" + primaryPod, primary == null || !primary.reachable()))
                    .withSwitchoverTo(pendingSwitchover(tt));
            ReplicationPlan plan = ReplicationDecision.decide(cluster);
            RolloutDecision.Step rollout = rollout(tt, context, pods, plan);
            if (rollout instanceof RolloutDecision.Step.SwitchoverTo handOver && plan.switchover() == null) {
                LOG.infof("Rolling update of %s: the primary goes last, switching over to the updated %s", Names.mysql(tt), handOver.pod());
                plan = ReplicationDecision.decide(cluster.withSwitchoverTo(handOver.pod()));
            }
            ReplicationExecutor.Outcome outcome = new ReplicationExecutor(dialect, credentials)
                    .execute(plan, observed, (pod, role) -> label(tt, context, pod, role));
            if (rollout instanceof RolloutDecision.Step.Evict evict && outcome.failures().isEmpty()) {
                evict(tt, context, evict);
            }
            if (plan.promotion() != null && !outcome.failedPods().contains(plan.promotion().to())) {
                LOG.warnf("TeachTrack %s/%s failed over from %s to %s: %s", tt.getMetadata().getNamespace(), tt.getMetadata().getName(),
                        plan.promotion().from(), plan.promotion().to(), plan.promotion().reason());
                failovers.failedOver(tt.getMetadata().getNamespace(), tt.getMetadata().getName());
            }
            if (plan.appDatabaseReady() && outcome.failures().isEmpty() && plan.promotion() == null && plan.switchover() == null) {
                String writable = plan.primaryPod();
                members.stream().filter(m -> m.pod().equals(writable)).findFirst().ifPresent(primaryMember ->
                        PasswordRotations.run(tt, context, secret, observed, primaryMember, credentials, dialect, pass));
            }
            ReplicationReport report = report(plan, outcome, maxLag, semiSyncWait);
            if (plan.switchover() != null && ReplicationPlan.Switchover.ATTEMPTED.equals(plan.switchover().result())) {
                failovers.switchedOver(tt.getMetadata().getNamespace(), tt.getMetadata().getName(), report.switchover().result());
            }
            return report;
        }
    }

    /** Where the primary-last rollout of the MySQL pods stands, from the StatefulSet's update revision and the pods. */
    private static RolloutDecision.Step rollout(TeachTrack tt, Context<TeachTrack> context, Map<String, Pod> pods, ReplicationPlan plan) {
        StatefulSet statefulSet = context.getSecondaryResources(StatefulSet.class).stream()
                .filter(s -> Names.mysql(tt).equals(s.getMetadata().getName())).findFirst().orElse(null);
        String updateRevision = statefulSet == null || statefulSet.getStatus() == null ? null : statefulSet.getStatus().getUpdateRevision();
        List<RolloutDecision.Member> members = new ArrayList<>();
        for (int ordinal = 0; ordinal < MysqlMembers.count(tt); ordinal++) {
            Pod pod = pods.get(Names.mysqlPod(tt, ordinal));
            if (pod != null) {
                members.add(RolloutDecision.Member.of(pod, ordinal));
            }
        }
        RolloutDecision.Step step = RolloutDecision.decide(updateRevision, members, MysqlMembers.count(tt), plan);
        if (step instanceof RolloutDecision.Step.Wait wait) {
            LOG.infof("Rolling update of %s: %s", Names.mysql(tt), wait.why());
        }
        return step;
    }

    /** Every server accepts the Secret's root password: it becomes the one the next rotation logs in with. */
    private static void recordAppliedRootPassword(TeachTrack tt, Context<TeachTrack> context, Secret secret, String rootPassword) {
        // A replace at the cached version, as the Secret's dependent writes it (RBAC grants update, not patch): a Secret
        // changed meanwhile makes it fail with a conflict, and the next pass looks again. The dependent keeps the key.
        Secret recorded = new SecretBuilder(secret).addToData(CredentialKeys.MYSQL_ROOT_PASSWORD_APPLIED,
                Base64.getEncoder().encodeToString(rootPassword.getBytes(StandardCharsets.UTF_8))).build();
        try {
            context.getClient().secrets().inNamespace(tt.getMetadata().getNamespace()).resource(recorded).update();
            LOG.infof("%s: every MySQL server accepts the credentials Secret's root password", where(tt));
        } catch (KubernetesClientException e) {
            LOG.infof("%s: the applied root password is recorded by a later pass (%s)", where(tt), e.getStatus() == null ? e.getMessage()
                    : e.getStatus().getReason());
        }
    }

    /** Names the TeachTrack in log lines. */
    static String where(TeachTrack tt) {
        return "TeachTrack " + tt.getMetadata().getNamespace() + "/" + tt.getMetadata().getName();
    }

    /** Through the eviction API: the MySQL PodDisruptionBudget has the last word (a refusal waits for the next pass). */
    private static void evict(TeachTrack tt, Context<TeachTrack> context, RolloutDecision.Step.Evict evict) {
        boolean evicted = context.getClient().pods().inNamespace(tt.getMetadata().getNamespace()).withName(evict.pod()).evict();
        LOG.infof("Rolling update of %s: %s; %s", Names.mysql(tt), evict.why(), evicted ? "evicted " + evict.pod()
                : "the disruption budget refused to evict " + evict.pod() + " for now");
    }

    /** The switchover annotation's value, unless status already answers that very request. */
    static String pendingSwitchover(TeachTrack tt) {
        String requested = tt.getMetadata().getAnnotations() == null ? null : tt.getMetadata().getAnnotations().get(Labels.SWITCHOVER_ANNOTATION);
        if (requested == null || requested.isBlank()) {
            return null;
        }
        MysqlStatus status = tt.getStatus() == null ? null : tt.getStatus().getMysql();
        boolean answered = status != null && status.getLastSwitchover() != null && requested.equals(status.getLastSwitchover().getRequest());
        return answered ? null : requested.trim();
    }

    private static ClusterState.Failover failover(TeachTrack tt) {
        FailoverSpec spec = tt.getSpec().getMysql().getFailover();
        MysqlStatus status = tt.getStatus() == null ? null : tt.getStatus().getMysql();
        String former = status == null || status.getLastFailover() == null ? null : status.getLastFailover().getFrom();
        Set<String> errant = status == null || status.getReplicas() == null ? Set.of() : status.getReplicas().stream()
                .filter(r -> ReplicaStates.ERRANT_TRANSACTIONS.equals(r.getState())).map(ReplicaStatus::getName).collect(Collectors.toSet());
        return new ClusterState.Failover(Boolean.TRUE.equals(spec.getEnabled()), Duration.ofSeconds(spec.getAfterSeconds()), Duration.ZERO,
                former, errant);
    }

    /**
     * Where the operator (and the other servers) reach a MySQL pod: its DNS name, or its IP (pod-ip mode); null, so no
     * connection is attempted, while the pod does not run (a connection to a pod that is gone or not started waits out
     * its timeout on the reconcile thread). In DNS mode a terminating pod is still reached: it answers until it stops.
     */
    static String host(OperatorSettings.AddressMode mode, TeachTrack tt, String pod, Pod found) {
        boolean running = found != null && found.getStatus() != null && "Running".equals(found.getStatus().getPhase());
        if (mode == OperatorSettings.AddressMode.DNS) {
            return running ? Names.mysqlPodHost(tt, pod) : null;
        }
        return running && found.getMetadata().getDeletionTimestamp() == null ? found.getStatus().getPodIP() : null;
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

    static ReplicationReport report(ReplicationPlan plan, ReplicationExecutor.Outcome outcome, long maxLag, int semiSyncWait) {
        List<ReplicaStatus> replicas = plan.replicas();
        int ready = (int) replicas.stream().filter(r -> ReplicaStates.RUNNING.equals(r.getState())
                && r.getLagSeconds() != null && r.getLagSeconds() <= maxLag).count();
        Long lag = replicas.stream().map(ReplicaStatus::getLagSeconds).filter(Objects::nonNull).max(Long::compare).orElse(null);
        SemiSyncStatus semiSync = plan.appDatabaseReady() ? new SemiSyncStatus(plan.semiSync().enabled(), plan.semiSync().active(),
                semiSyncWait, plan.semiSync().acknowledging()) : null;
        String failures = String.join("; ", outcome.failures());
        ReplicationPlan.Switchover switchover = plan.switchover();
        if (switchover != null && ReplicationPlan.Switchover.ATTEMPTED.equals(switchover.result())) {
            boolean failed = outcome.failedPods().contains(switchover.from());
            ReplicationPlan.Switchover result = new ReplicationPlan.Switchover(switchover.from(), switchover.to(),
                    failed ? ReplicationPlan.Switchover.FAILED : ReplicationPlan.Switchover.COMPLETED,
                    failed ? "Switchover to " + switchover.to() + " abandoned, " + switchover.from() + " takes writes again: " + failures
                            : "Switched over from " + switchover.from() + " to " + switchover.to());
            return new ReplicationReport(failed ? switchover.from() : switchover.to(), "False", failed ? "SwitchoverFailed" : "SwitchingOver",
                    result.message(), failed, ready, lag, replicas, semiSync, null, true, result);
        }
        if (plan.promotion() != null && outcome.failedPods().contains(plan.promotion().to())) {
            // Not promoted: the lost primary stays the record, and the next pass (soon) tries again.
            return new ReplicationReport(plan.promotion().from(), "False", "FailoverFailed", "Promoting " + plan.promotion().to()
                    + " failed: " + failures, false, ready, lag, replicas, null, null, true, null);
        }
        if (!outcome.failures().isEmpty()) {
            return new ReplicationReport(plan.primaryPod(), "False", "ReplicationActionFailed", failures, plan.appDatabaseReady(), ready, lag,
                    replicas, semiSync, plan.promotion(), plan.watchClosely(), switchover);
        }
        return new ReplicationReport(plan.primaryPod(), plan.status(), plan.reason(), plan.message(), plan.appDatabaseReady(), ready, lag,
                replicas, semiSync, plan.promotion(), plan.watchClosely(), switchover);
    }

    private static Secret secret(TeachTrack tt, Context<TeachTrack> context) {
        return context.getSecondaryResources(Secret.class).stream()
                .filter(s -> Names.credentials(tt).equals(s.getMetadata().getName())).findFirst().orElse(null);
    }

    private static DatabaseCredentials credentials(Secret secret) {
        if (secret == null || secret.getData() == null) {
            return null;
        }
        String root = SecretData.value(secret, CredentialKeys.MYSQL_ROOT_PASSWORD);
        String app = SecretData.value(secret, CredentialKeys.MYSQL_APP_PASSWORD);
        String replication = SecretData.value(secret, CredentialKeys.MYSQL_REPLICATION_PASSWORD);
        return root == null || app == null || replication == null ? null : new DatabaseCredentials(root, app, replication);
    }
}
