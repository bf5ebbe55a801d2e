package io.teachtrack.operator.mysql;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.config.OperatorSettings;
import io.teachtrack.operator.model.Component;
import io.teachtrack.operator.model.CredentialKeys;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.model.SecretData;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The replication step over JDBC: connects to the primary and each replica pod (by DNS name, or by pod IP for
 * local clusters), lets the {@link ReplicationCoordinator} bootstrap and repair what it safely can, and reports
 * what it found as the ReplicationReady condition and {@code status.mysql}.
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
        if (credentials == null) {
            return report("Unknown", "WaitingForCredentials", "Secret " + Names.credentials(tt) + " is not complete yet",
                    false, List.of(), tt);
        }
        ReplicationCoordinator coordinator = new ReplicationCoordinator(Dialect.of(tt.getSpec().getMysql().getEngine()));
        Map<String, String> hosts = hosts(tt, context);
        String primaryHost = hosts.get(Names.primaryPod(tt));
        if (primaryHost == null) {
            return report("False", "PrimaryUnreachable", "The primary pod has no address yet", false, List.of(), tt);
        }
        try (SqlSession primary = open(primaryHost, credentials)) {
            coordinator.ensurePrimary(primary, credentials);
            List<ReplicaStatus> replicas = new ArrayList<>();
            for (int ordinal = 0; ordinal < tt.getSpec().getMysql().getReplicas(); ordinal++) {
                String pod = Names.replicaPod(tt, ordinal);
                String host = hosts.get(pod);
                if (host == null) {
                    replicas.add(ReplicationCoordinator.unreachable(pod, "The pod has no address yet"));
                    continue;
                }
                try (SqlSession replica = open(host, credentials)) {
                    replicas.add(coordinator.reconcileReplica(pod, primary, replica, primaryHost, Names.MYSQL_PORT, credentials));
                } catch (SQLException e) {
                    replicas.add(ReplicationCoordinator.unreachable(pod, e.getMessage()));
                }
            }
            return summarize(tt, replicas);
        } catch (SQLException e) {
            return report("False", "PrimaryUnreachable", "Cannot bootstrap the primary: " + e.getMessage(), false, List.of(), tt);
        }
    }

    private SqlSession open(String host, DatabaseCredentials credentials) throws SQLException {
        return SqlSession.open(host, Names.MYSQL_PORT, DatabaseCredentials.ROOT_USER, credentials.rootPassword(),
                CONNECT_TIMEOUT, SOCKET_TIMEOUT);
    }

    /** ReplicationReady is True only when every replica runs with lag within spec.api.readSplit.maxReplicaLagSeconds. */
    static ReplicationReport summarize(TeachTrack tt, List<ReplicaStatus> replicas) {
        long maxLag = tt.getSpec().getApi().getReadSplit().getMaxReplicaLagSeconds();
        if (replicas.isEmpty()) {
            return report("True", "NoReplicas", "No read replicas: every read goes to the primary", true, replicas, tt);
        }
        for (ReplicaStatus replica : replicas) {
            boolean running = ReplicaStates.RUNNING.equals(replica.getState());
            if (!running) {
                return report("False", reasonFor(replica.getState()), replica.getName() + " is " + replica.getState()
                        + (replica.getLastError() != null ? ": " + replica.getLastError() : ""), true, replicas, tt);
            }
            if (replica.getLagSeconds() == null || replica.getLagSeconds() > maxLag) {
                return report("False", "ReplicationLagging", replica.getName() + " is " + replica.getLagSeconds()
                        + " s behind (limit " + maxLag + " s)", true, replicas, tt);
            }
        }
        return report("True", "ReplicationRunning", replicas.size() + "/" + replicas.size()
                + " replicas replicate with GTIDs within " + maxLag + " s", true, replicas, tt);
    }

    private static String reasonFor(String state) {
        return switch (state) {
            case ReplicaStates.ERRANT_TRANSACTIONS -> "ErrantTransactions";
            case ReplicaStates.NEEDS_SEEDING -> "NeedsSeeding";
            case ReplicaStates.UNREACHABLE -> "ReplicaUnreachable";
            case ReplicaStates.CONNECTING -> "ReplicaConnecting";
            case ReplicaStates.STOPPED -> "ReplicaStopped";
            default -> "ReplicaError";
        };
    }

    private static ReplicationReport report(String status, String reason, String message, boolean appDatabaseReady,
                                            List<ReplicaStatus> replicas, TeachTrack tt) {
        long maxLag = tt.getSpec().getApi().getReadSplit().getMaxReplicaLagSeconds();
        int ready = (int) replicas.stream().filter(r -> ReplicaStates.RUNNING.equals(r.getState())
                && r.getLagSeconds() != null && r.getLagSeconds() <= maxLag).count();
        Long lag = replicas.stream().map(ReplicaStatus::getLagSeconds).filter(Objects::nonNull).max(Long::compare).orElse(null);
        return new ReplicationReport(status, reason, message, appDatabaseReady, ready, lag, replicas);
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

    /** Pod name → address the operator (and the replicas) can reach it at. */
    private Map<String, String> hosts(TeachTrack tt, Context<TeachTrack> context) {
        List<String> pods = new ArrayList<>();
        pods.add(Names.primaryPod(tt));
        for (int ordinal = 0; ordinal < tt.getSpec().getMysql().getReplicas(); ordinal++) {
            pods.add(Names.replicaPod(tt, ordinal));
        }
        if (settings.mysql().addressMode() == OperatorSettings.AddressMode.DNS) {
            return pods.stream().collect(Collectors.toMap(p -> p, p -> Names.mysqlPodHost(tt, p)));
        }
        return context.getClient().pods().inNamespace(tt.getMetadata().getNamespace())
                .withLabels(Labels.selector(tt, Component.MYSQL)).list().getItems().stream()
                .filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null && "Running".equals(p.getStatus().getPhase()))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), (Pod p) -> p.getStatus().getPodIP(), (a, b) -> a));
    }
}
