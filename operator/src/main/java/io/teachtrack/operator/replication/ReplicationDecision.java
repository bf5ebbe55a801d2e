package io.teachtrack.operator.replication;

import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.model.MysqlRole;
import io.teachtrack.operator.mysql.ReplicaState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides, from one observation of every server, what each server should be: which one takes writes, which
 * replicas are (re)pointed or restarted, and which pods carry the role labels the Services select. Pure: the same
 * observation always gives the same plan, so every case is unit-tested for both engines without a server.
 *
 * <p>Safety first: the recorded primary is made writable only when it holds every reachable replica's transactions
 * (an empty primary never overwrites replicas that hold data); a replica holding transactions the primary lacks is
 * never touched; a replica serves reads only while it replicates from the primary with both threads running and
 * within the lag budget (hysteresis: it leaves above the budget and returns at half of it).
 */
public final class ReplicationDecision {

    private ReplicationDecision() {
    }

    public static ReplicationPlan decide(ClusterState cluster) {
        ServerState primary = cluster.primary();
        List<ServerState> members = cluster.replicas();
        if (primary == null || !primary.reachable()) {
            String message = primary == null ? "No MySQL pod holds the recorded primary (ordinal " + cluster.primaryOrdinal() + ")"
                    : "Cannot reach the primary " + primary.pod() + (primary.error() == null ? "" : ": " + primary.error());
            return withoutPrimary(primary, members, "PrimaryUnreachable", message);
        }

        List<ReplicationAction> actions = new ArrayList<>();
        if (primary.readOnly()) {
            List<String> ahead = members.stream().filter(ServerState::reachable).filter(r -> !r.blank())
                    .filter(r -> !r.aheadOfPrimary().isEmpty()).map(ServerState::pod).toList();
            if (!ahead.isEmpty()) {
                return withoutPrimary(primary, members, "PrimaryBehindReplicas", "The primary " + primary.pod()
                        + " lacks transactions that " + String.join(", ", ahead)
                        + " hold: it stays read-only and nothing is overwritten (restore it, or fail over)");
            }
            List<String> unknown = members.stream().filter(r -> !r.reachable()).map(ServerState::pod).toList();
            if (primary.blank() && !unknown.isEmpty()) {
                return withoutPrimary(primary, members, "WaitingForReplicas", "The primary " + primary.pod() + " is empty and "
                        + String.join(", ", unknown) + " cannot be reached: it stays read-only until they can be compared");
            }
            actions.add(new ReplicationAction.MakeWritable(primary.pod()));
        }
        if (!primary.appReady()) {
            actions.add(new ReplicationAction.BootstrapApp(primary.pod()));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        label(labels, primary, MysqlRole.PRIMARY);
        List<ReplicaStatus> replicas = new ArrayList<>();

        for (ServerState replica : members) {
            ReplicaStatus status = replica(replica, primary, actions);
            replicas.add(status);
            boolean serves = ReplicaStates.RUNNING.equals(status.getState()) && status.getLagSeconds() != null
                    && status.getLagSeconds() <= (isReplicaLabel(replica) ? cluster.maxLagSeconds() : cluster.maxLagSeconds() / 2);
            label(labels, replica, serves ? MysqlRole.REPLICA : null);
            status.setRole(serves ? MysqlRole.REPLICA.label() : null);
        }
        return summarize(cluster, primary.pod(), actions, labels, replicas);
    }

    /**
     * No primary takes writes: nothing is re-pointed or restarted, the primary's label goes, and replicas that were
     * serving reads keep serving while they still apply (the API reads on; their data is the last the primary gave).
     */
    private static ReplicationPlan withoutPrimary(ServerState primary, List<ServerState> members, String reason, String message) {
        Map<String, String> labels = new LinkedHashMap<>();
        List<ReplicaStatus> replicas = new ArrayList<>();
        for (ServerState replica : members) {
            replicas.add(replica.reachable() ? status(replica, stateWithoutPrimary(replica.replication()), null) : unreachable(replica));
            // Against a primary that is gone or behind, "ahead" is expected: such a replica holds the data there is.
            boolean keeps = replica.reachable() && replica.replication().sqlRunning() && isReplicaLabel(replica);
            label(labels, replica, keeps ? MysqlRole.REPLICA : null);
            replicas.getLast().setRole(keeps ? MysqlRole.REPLICA.label() : null);
        }
        if (primary != null) {
            label(labels, primary, null);
        }
        return new ReplicationPlan(primary == null ? null : primary.pod(), List.of(), labels, replicas, "False", reason, message, false);
    }

    private static ReplicaStatus replica(ServerState replica, ServerState primary, List<ReplicationAction> actions) {
        if (!replica.reachable()) {
            return unreachable(replica);
        }
        ReplicaState observed = replica.replication();
        boolean errant = !replica.aheadOfPrimary().isEmpty();
        if (!observed.configured()) {
            if (errant && !replica.blank()) {
                return status(replica, ReplicaStates.ERRANT_TRANSACTIONS, errantMessage(replica));
            }
            if (!replica.missingPurged().isEmpty()) {
                return status(replica, ReplicaStates.NEEDS_SEEDING, "The primary no longer has the binary logs for "
                        + replica.missingPurged() + "; the replica must be seeded from a copy of the primary before it can replicate");
            }
            if (errant) {
                actions.add(new ReplicationAction.ClearOwnTransactions(replica.pod()));
            }
            if (!replica.readOnly()) {
                actions.add(new ReplicationAction.MakeReadOnly(replica.pod()));
            }
            actions.add(new ReplicationAction.ReplicateFromPrimary(replica.pod(), primary.host(), primary.port(), false));
            return status(replica, ReplicaStates.CONNECTING, null);
        }
        if (errant) {
            return status(replica, ReplicaStates.ERRANT_TRANSACTIONS, errantMessage(replica));
        }
        if (!replica.readOnly()) {
            actions.add(new ReplicationAction.MakeReadOnly(replica.pod()));
        }
        if (!Objects.equals(primary.host(), observed.sourceHost()) || !Objects.equals(primary.port(), observed.sourcePort())) {
            actions.add(new ReplicationAction.ReplicateFromPrimary(replica.pod(), primary.host(), primary.port(), true));
            return status(replica, ReplicaStates.CONNECTING, null);
        }
        if (observed.running()) {
            return status(replica, ReplicaStates.RUNNING, null);
        }
        if (observed.needsSeeding()) {
            return status(replica, ReplicaStates.NEEDS_SEEDING,
                    "The primary no longer has the binary logs this replica needs; it must be seeded from a copy of the primary");
        }
        if (observed.sqlRunning() && observed.ioConnecting()) {
            return status(replica, ReplicaStates.CONNECTING, null);
        }
        if (observed.transientFailure()) {
            actions.add(new ReplicationAction.StartReplication(replica.pod()));
            return status(replica, observed.lastError() == null ? ReplicaStates.STOPPED : ReplicaStates.ERROR, null);
        }
        return status(replica, ReplicaStates.ERROR, null);
    }

    /** ReplicationReady is True only when every replica runs within the lag budget. */
    private static ReplicationPlan summarize(ClusterState cluster, String primaryPod, List<ReplicationAction> actions,
                                             Map<String, String> labels, List<ReplicaStatus> replicas) {
        long maxLag = cluster.maxLagSeconds();
        if (cluster.primaryOrdinal() > cluster.wantedReplicas()) {
            return new ReplicationPlan(primaryPod, actions, labels, replicas, "False", "ScaleDownBlocked",
                    "mysql.replicas " + cluster.wantedReplicas() + " would remove the primary " + primaryPod
                            + ": its pod is kept until another server is primary", true);
        }
        if (replicas.isEmpty()) {
            return new ReplicationPlan(primaryPod, actions, labels, replicas, "True", "NoReplicas",
                    "No read replicas: every read goes to the primary", true);
        }
        for (ReplicaStatus replica : replicas) {
            if (!ReplicaStates.RUNNING.equals(replica.getState())) {
                return new ReplicationPlan(primaryPod, actions, labels, replicas, "False", reasonFor(replica.getState()),
                        replica.getName() + " is " + replica.getState()
                                + (replica.getLastError() != null ? ": " + replica.getLastError() : ""), true);
            }
            if (replica.getLagSeconds() == null || replica.getLagSeconds() > maxLag) {
                return new ReplicationPlan(primaryPod, actions, labels, replicas, "False", "ReplicationLagging",
                        replica.getName() + " is " + replica.getLagSeconds() + " s behind (limit " + maxLag + " s)", true);
            }
        }
        return new ReplicationPlan(primaryPod, actions, labels, replicas, "True", "ReplicationRunning",
                replicas.size() + "/" + replicas.size() + " replicas replicate with GTIDs within " + maxLag + " s", true);
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

    private static String stateWithoutPrimary(ReplicaState observed) {
        return observed.running() ? ReplicaStates.RUNNING : observed.configured() ? ReplicaStates.CONNECTING : ReplicaStates.STOPPED;
    }

    private static String errantMessage(ServerState replica) {
        return "Holds transactions the primary does not have: " + replica.aheadOfPrimary() + "; left untouched";
    }

    private static boolean isReplicaLabel(ServerState server) {
        return MysqlRole.REPLICA.label().equals(server.roleLabel());
    }

    /** Records a label change only when the label differs from the pod's. */
    private static void label(Map<String, String> labels, ServerState server, MysqlRole role) {
        String wanted = role == null ? null : role.label();
        if (!Objects.equals(wanted, server.roleLabel())) {
            labels.put(server.pod(), wanted);
        }
    }

    static ReplicaStatus status(ServerState server, String state, String message) {
        ReplicaState observed = server.replication();
        ReplicaStatus status = new ReplicaStatus();
        status.setName(server.pod());
        status.setState(state);
        status.setIoRunning(observed.ioRunning());
        status.setSqlRunning(observed.sqlRunning());
        status.setLagSeconds(observed.secondsBehind());
        status.setLastError(message != null ? message : observed.lastError());
        return status;
    }

    private static ReplicaStatus unreachable(ServerState server) {
        ReplicaStatus status = new ReplicaStatus();
        status.setName(server.pod());
        status.setState(ReplicaStates.UNREACHABLE);
        status.setIoRunning(false);
        status.setSqlRunning(false);
        status.setLastError(server.error());
        return status;
    }
}
