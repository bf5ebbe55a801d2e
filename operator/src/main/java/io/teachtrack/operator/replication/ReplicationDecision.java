package io.teachtrack.operator.replication;

import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.model.MysqlRole;
import io.teachtrack.operator.mysql.ReplicaState;
import io.teachtrack.operator.mysql.SemiSync;

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
 * (an empty primary never overwrites replicas that hold data), and waits for replica acknowledgements before its
 * commits return; a server holding transactions the primary lacks is made read-only and never overwritten; no server
 * but the recorded primary stays writable; a replica serves reads only while it replicates from the primary with both
 * threads running and within the lag budget (hysteresis: it leaves above the budget and returns at half of it). When
 * the primary is lost, {@link FailoverDecision} decides.
 */
public final class ReplicationDecision {

    private ReplicationDecision() {
    }

    public static ReplicationPlan decide(ClusterState cluster) {
        ServerState primary = cluster.primary();
        List<ServerState> members = cluster.replicas();
        if (primary == null || !primary.reachable()) {
            return FailoverDecision.decide(cluster);
        }

        List<ReplicationAction> actions = new ArrayList<>();
        if (primary.readOnly()) {
            String former = cluster.failover().formerPrimary();
            // The former primary's extra transactions were never acknowledged: they exclude it, not the new primary. A
            // server excluded before (errant against an earlier primary, say the one an earlier failover replaced) holds
            // nothing that primary acknowledged either: it stays excluded and holds no later primary back.
            List<String> ahead = members.stream().filter(ServerState::reachable).filter(r -> !r.blank())
                    .filter(r -> !(r.pod().equals(former) && !r.replication().configured()))
                    .filter(r -> !cluster.failover().knownErrant().contains(r.pod()))
                    .filter(r -> !r.aheadOfPrimary().isEmpty()).map(ServerState::pod).toList();
            if (!ahead.isEmpty()) {
                return withoutPrimary(cluster, "PrimaryBehindReplicas", "The primary " + primary.pod()
                        + " lacks transactions that " + String.join(", ", ahead)
                        + " hold: it stays read-only and nothing is overwritten (restore it, or fail over)");
            }
            List<String> unknown = members.stream().filter(r -> !r.reachable()).map(ServerState::pod).toList();
            if (primary.blank() && !unknown.isEmpty()) {
                return withoutPrimary(cluster, "WaitingForReplicas", "The primary " + primary.pod() + " is empty and "
                        + String.join(", ", unknown) + " cannot be reached: it stays read-only until they can be compared");
            }
        }
        semiSyncAndWrites(cluster, primary, actions);
        Map<String, String> labels = new LinkedHashMap<>();
        label(labels, primary, MysqlRole.PRIMARY);
        List<ReplicaStatus> replicas = new ArrayList<>();

        for (ServerState replica : members) {
            ReplicaStatus status = replica(replica, primary, cluster, actions);
            replicas.add(status);
            boolean serves = ReplicaStates.RUNNING.equals(status.getState()) && status.getLagSeconds() != null
                    && status.getLagSeconds() <= (isReplicaLabel(replica) ? cluster.maxLagSeconds() : cluster.maxLagSeconds() / 2);
            label(labels, replica, serves ? MysqlRole.REPLICA : null);
            status.setRole(serves ? MysqlRole.REPLICA.label() : null);
        }
        ReplicationPlan plan = summarize(cluster, primary, actions, labels, replicas);
        return cluster.switchoverTo() == null ? plan : switchover(cluster, primary, plan);
    }

    /**
     * A switchover target further behind than this would likely miss the deadline to apply what the primary executed,
     * and the primary would have refused writes for nothing: such a request is rejected up front.
     */
    static final long SWITCHOVER_MAX_LAG_SECONDS = 2;

    /**
     * A requested switchover runs only from a primary that takes writes to a replica that replicates from it and has
     * nearly caught up: then this
     * pass does nothing else (the next pass moves the labels and re-points the others). Otherwise it is rejected, with
     * the reason, and the pass goes on as usual.
     */
    private static ReplicationPlan switchover(ClusterState cluster, ServerState primary, ReplicationPlan plan) {
        String target = cluster.switchoverTo();
        ReplicaStatus state = plan.replicas().stream().filter(r -> r.getName().equals(target)).findFirst().orElse(null);
        String rejected = target.equals(primary.pod()) ? target + " is the primary already"
                : state == null ? target + " is not a MySQL pod of this TeachTrack"
                : primary.readOnly() || !plan.appDatabaseReady() ? "the primary " + primary.pod() + " does not take writes"
                : !ReplicaStates.RUNNING.equals(state.getState()) ? target + " is " + state.getState() + ", not a running replica"
                : state.getLagSeconds() != null && state.getLagSeconds() > SWITCHOVER_MAX_LAG_SECONDS ? target + " is " + state.getLagSeconds()
                        + " s behind the primary; ask again once it has caught up"
                : null;
        if (rejected != null) {
            return new ReplicationPlan(plan.primaryPod(), plan.actions(), plan.labels(), plan.replicas(), plan.status(), plan.reason(),
                    plan.message(), plan.appDatabaseReady(), plan.semiSync(), null, plan.watchClosely(),
                    new ReplicationPlan.Switchover(primary.pod(), target, ReplicationPlan.Switchover.REJECTED, "Switchover to " + target
                            + " rejected: " + rejected));
        }
        return new ReplicationPlan(target, List.of(new ReplicationAction.Switchover(primary.pod(), target)), Map.of(), plan.replicas(),
                "False", "SwitchingOver", "Switching the primary over from " + primary.pod() + " to " + target + " as requested", true,
                primary.semiSync(), null, true,
                new ReplicationPlan.Switchover(primary.pod(), target, ReplicationPlan.Switchover.ATTEMPTED, null));
    }

    /**
     * The primary's writes and their acknowledgements. A primary that already holds the app database waits for
     * acknowledgements before it takes its first write; a new one is bootstrapped first (no replica can connect before
     * the replication user exists), and waits for acknowledgements before the API, which needs that bootstrap, starts.
     */
    private static void semiSyncAndWrites(ClusterState cluster, ServerState primary, List<ReplicationAction> actions) {
        SemiSync semiSync = primary.semiSync();
        int wait = cluster.semiSyncWait();
        ReplicationAction semiSyncAction = wait == 0
                ? (semiSync.enabled() ? new ReplicationAction.DisableSemiSync(primary.pod()) : null)
                : (semiSync.enabled() && semiSync.waitForReplicas() == wait ? null : new ReplicationAction.EnableSemiSync(primary.pod(), wait));
        if (primary.appReady() && semiSyncAction != null) {
            actions.add(semiSyncAction);
        }
        if (primary.readOnly()) {
            actions.add(new ReplicationAction.MakeWritable(primary.pod()));
        }
        if (!primary.appReady()) {
            actions.add(new ReplicationAction.BootstrapApp(primary.pod()));
            if (semiSyncAction != null) {
                actions.add(semiSyncAction);
            }
        }
    }

    /**
     * No primary takes writes: nothing is re-pointed or restarted, the primary's label goes, and replicas that were
     * serving reads keep serving while they still apply (the API reads on; their data is the last the primary gave).
     */
    static ReplicationPlan withoutPrimary(ClusterState cluster, String reason, String message) {
        ServerState primary = cluster.primary();
        return withoutPrimary(cluster, List.of(), primary == null ? null : primary.pod(), reason, message, null);
    }

    static ReplicationPlan withoutPrimary(ClusterState cluster, List<ReplicationAction> actions, String recordedPrimary, String reason,
                                          String message, ReplicationPlan.Promotion promotion) {
        ServerState primary = cluster.primary();
        Map<String, String> labels = new LinkedHashMap<>();
        List<ReplicaStatus> replicas = new ArrayList<>();
        for (ServerState replica : cluster.replicas()) {
            replicas.add(!replica.reachable() ? unreachable(replica)
                    // Nothing to compare with, but an exclusion stands until a primary that takes writes compares again
                    // (the failover that follows must not count the excluded server, nor its extra transactions).
                    : cluster.failover().knownErrant().contains(replica.pod()) && !replica.blank()
                    ? status(replica, ReplicaStates.ERRANT_TRANSACTIONS, STILL_EXCLUDED)
                    : status(replica, stateWithoutPrimary(replica.replication()), null));
            // Against a primary that is gone or behind, "ahead" is expected: such a replica holds the data there is.
            boolean keeps = replica.reachable() && replica.replication().sqlRunning() && isReplicaLabel(replica);
            label(labels, replica, keeps ? MysqlRole.REPLICA : null);
            replicas.getLast().setRole(keeps ? MysqlRole.REPLICA.label() : null);
        }
        if (primary != null) {
            label(labels, primary, null);
        }
        boolean lost = primary == null || !primary.reachable();
        return new ReplicationPlan(recordedPrimary, actions, labels, replicas, "False", reason, message, false,
                lost ? SemiSync.OFF : primary.semiSync(), promotion, lost);
    }

    private static ReplicaStatus replica(ServerState replica, ServerState primary, ClusterState cluster, List<ReplicationAction> actions) {
        if (!replica.reachable()) {
            return unreachable(replica);
        }
        ReplicaState observed = replica.replication();
        boolean errant = !replica.aheadOfPrimary().isEmpty();
        if (!replica.readOnly()) {
            // Only the recorded primary takes writes: a returning old primary, or a replica someone made writable. Fencing
            // can finish commits that were waiting for an acknowledgement, so nothing else happens to it before the next
            // pass has compared it again.
            actions.add(new ReplicationAction.Fence(replica.pod()));
            return errant ? status(replica, ReplicaStates.ERRANT_TRANSACTIONS, replica.pod().equals(cluster.failover().formerPrimary())
                    ? formerPrimaryMessage(replica) : errantMessage(replica))
                    : status(replica, ReplicaStates.STOPPED, "Was writable although not the primary: made read-only, compared again next pass");
        }
        if (!observed.configured()) {
            if (errant && !replica.blank()) {
                return status(replica, ReplicaStates.ERRANT_TRANSACTIONS, replica.pod().equals(cluster.failover().formerPrimary())
                        ? formerPrimaryMessage(replica) : errantMessage(replica));
            }
            if (!replica.missingPurged().isEmpty()) {
                return status(replica, ReplicaStates.NEEDS_SEEDING, "The primary no longer has the binary logs for "
                        + replica.missingPurged() + "; the replica must be seeded from a copy of the primary before it can replicate");
            }
            if (errant) {
                actions.add(new ReplicationAction.ClearOwnTransactions(replica.pod()));
            }
            if (replica.semiSync().enabled()) {
                // A former primary: as a replica it must not wait for acknowledgements of what it applies.
                actions.add(new ReplicationAction.DisableSemiSync(replica.pod()));
            }
            actions.add(new ReplicationAction.ReplicateFromPrimary(replica.pod(), primary.host(), primary.port(), false));
            return status(replica, ReplicaStates.CONNECTING, null);
        }
        if (errant) {
            return status(replica, ReplicaStates.ERRANT_TRANSACTIONS, errantMessage(replica));
        }
        if (replica.semiSync().enabled()) {
            actions.add(new ReplicationAction.DisableSemiSync(replica.pod()));
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

    /** ReplicationReady is True only when every replica runs within the lag budget (and serves reads). */
    private static ReplicationPlan summarize(ClusterState cluster, ServerState primary, List<ReplicationAction> actions,
                                             Map<String, String> labels, List<ReplicaStatus> replicas) {
        long maxLag = cluster.maxLagSeconds();
        String primaryPod = primary.pod();
        if (cluster.primaryOrdinal() > cluster.wantedReplicas()) {
            return plan(primary, actions, labels, replicas, "False", "ScaleDownBlocked", "mysql.replicas " + cluster.wantedReplicas()
                    + " would remove the primary " + primaryPod + ": its pod is kept until another server is primary");
        }
        if (replicas.isEmpty()) {
            return plan(primary, actions, labels, replicas, "True", "NoReplicas",
                    "No read replicas: every read goes to the primary, and commits wait for no acknowledgement");
        }
        SemiSync semiSync = primary.semiSync();
        if (cluster.semiSyncWait() > 0 && semiSync.enabled() && !semiSync.active()) {
            return plan(primary, actions, labels, replicas, "False", "SemiSyncInactive", "The primary " + primaryPod
                    + " no longer waits for replica acknowledgements (it fell back to asynchronous replication): a failover could lose commits");
        }
        for (ReplicaStatus replica : replicas) {
            if (!ReplicaStates.RUNNING.equals(replica.getState())) {
                return plan(primary, actions, labels, replicas, "False", reasonFor(replica.getState()), replica.getName() + " is "
                        + replica.getState() + (replica.getLastError() != null ? ": " + replica.getLastError() : ""));
            }
            // The same hysteresis as the read Service: a replica that went over the budget counts as lagging until it
            // is back within half of it, so a lag hovering at the limit does not flip the TeachTrack Ready and back.
            if (replica.getLagSeconds() == null || replica.getRole() == null) {
                return plan(primary, actions, labels, replicas, "False", "ReplicationLagging", replica.getName() + " is "
                        + replica.getLagSeconds() + " s behind (limit " + maxLag + " s; it counts again once within " + maxLag / 2 + " s)");
            }
        }
        return plan(primary, actions, labels, replicas, "True", "ReplicationRunning", replicas.size() + "/" + replicas.size()
                + " replicas replicate with GTIDs within " + maxLag + " s; each commit waits for " + cluster.semiSyncWait()
                + " of them (semi-synchronous)");
    }

    private static ReplicationPlan plan(ServerState primary, List<ReplicationAction> actions, Map<String, String> labels,
                                        List<ReplicaStatus> replicas, String status, String reason, String message) {
        return new ReplicationPlan(primary.pod(), actions, labels, replicas, status, reason, message, true, primary.semiSync(), null, false);
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

    private static final String STILL_EXCLUDED = "Held transactions the primary lacked; stays excluded, and is compared again once a"
            + " primary takes writes";

    private static String formerPrimaryMessage(ServerState server) {
        return "The former primary holds transactions the new primary lacks, which were never acknowledged to a client: "
                + server.aheadOfPrimary() + "; excluded from reads and writes until it is rebuilt";
    }

    private static String errantMessage(ServerState replica) {
        return "Holds transactions the primary does not have: " + replica.aheadOfPrimary() + "; left untouched";
    }

    static boolean isReplicaLabel(ServerState server) {
        return MysqlRole.REPLICA.label().equals(server.roleLabel());
    }

    /** Records a label change only when the label differs from the pod's. */
    static void label(Map<String, String> labels, ServerState server, MysqlRole role) {
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

    static ReplicaStatus unreachable(ServerState server) {
        ReplicaStatus status = new ReplicaStatus();
        status.setName(server.pod());
        status.setState(ReplicaStates.UNREACHABLE);
        status.setIoRunning(false);
        status.setSqlRunning(false);
        status.setLastError(server.error());
        return status;
    }
}
