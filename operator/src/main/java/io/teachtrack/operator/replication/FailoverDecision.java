package io.teachtrack.operator.replication;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What to do while the recorded primary cannot be reached. Pure, like {@link ReplicationDecision}.
 *
 * <p>A replica is promoted only when all of these hold: automatic failover is on; the primary has been unreachable for
 * the configured time; every replica that can be compared has lost it too (its receiving thread stopped), so it is not
 * the operator alone that cannot reach it; enough replicas can be compared that one of them must hold every
 * acknowledged commit (a commit waits for {@code k} of the {@code n} replicas that receive from the primary, so any
 * {@code n - k + 1} of them hold it);
 * and one of those holds every GTID the others executed or received. The plan then fences (every replica stops
 * receiving, the old primary loses its label) and promotes that replica once it applied what it received. It is made
 * writable in a later pass, only after it is the recorded primary.
 */
public final class FailoverDecision {

    private FailoverDecision() {
    }

    public static ReplicationPlan decide(ClusterState cluster) {
        ServerState primary = cluster.primary();
        List<ServerState> members = cluster.replicas();
        ClusterState.Failover failover = cluster.failover();
        String recorded = primary == null ? null : primary.pod();
        String lost = primary == null ? "No MySQL pod holds the recorded primary (ordinal " + cluster.primaryOrdinal() + ")"
                : "Cannot reach the primary " + primary.pod() + (primary.error() == null ? "" : ": " + primary.error());
        if (primary != null && primary.refusedCredentials()) {
            return ReplicationDecision.withoutPrimary(cluster, "CredentialsRejected", "MySQL on " + primary.pod()
                    + " refuses the root password of the credentials Secret and the one recorded as applied (" + primary.error()
                    + "): put back a value the servers have (a root password changed twice before the first change was applied"
                    + " everywhere does this), or restart the MySQL pods (each sets root to the Secret's password as it starts)."
                    + " Nothing is promoted: the primary is alive");
        }
        if (!failover.enabled() || members.isEmpty()) {
            return ReplicationDecision.withoutPrimary(cluster, "PrimaryUnreachable",
                    lost + (members.isEmpty() ? "; there is no replica to promote" : "; automatic failover is off"));
        }
        if (failover.primaryLostFor().compareTo(failover.after()) < 0) {
            return ReplicationDecision.withoutPrimary(cluster, "PrimaryUnreachable", lost + "; a replica is promoted if it"
                    + " stays unreachable for " + failover.after().toSeconds() + " s (so far " + failover.primaryLostFor().toSeconds() + " s)");
        }
        List<ServerState> comparable = members.stream().filter(ServerState::reachable)
                .filter(m -> m.replication().configured() && !failover.knownErrant().contains(m.pod())).toList();
        List<String> receiving = comparable.stream().filter(m -> m.replication().ioRunning()).map(ServerState::pod).toList();
        if (!receiving.isEmpty()) {
            return ReplicationDecision.withoutPrimary(cluster, "PrimaryUnconfirmed", lost + ", but " + String.join(", ", receiving)
                    + " still receive from it: only the operator lost it, so nothing is promoted");
        }
        // A server that answers but replicates from nothing (an excluded former primary) acknowledged nothing.
        List<ServerState> mayHaveAcknowledged = members.stream().filter(m -> !m.reachable() || m.replication().configured()).toList();
        int acknowledging = Math.max(1, cluster.semiSyncWait());
        int needed = mayHaveAcknowledged.size() - acknowledging + 1;
        if (comparable.size() < needed) {
            List<String> unknown = mayHaveAcknowledged.stream().filter(m -> !comparable.contains(m)).map(ServerState::pod).toList();
            return ReplicationDecision.withoutPrimary(cluster, "FailoverBlocked", lost + "; only " + comparable.size() + " of "
                    + mayHaveAcknowledged.size() + " replicas can be compared (not " + String.join(", ", unknown) + "), and an"
                    + " acknowledged commit may be only on those: nothing is promoted until " + needed + " can be");
        }
        Optional<ServerState> candidate = comparable.stream()
                .filter(c -> comparable.stream().filter(o -> o != c).allMatch(o -> c.covers().contains(o.pod())))
                .min(Comparator.comparing((ServerState c) -> !c.replication().sqlRunning()).thenComparingInt(ServerState::ordinal));
        if (candidate.isEmpty()) {
            return ReplicationDecision.withoutPrimary(cluster, "FailoverBlocked", lost + "; no replica holds every other"
                    + " replica's transactions, so any promotion would lose some: nothing is promoted");
        }
        ServerState promoted = candidate.get();
        List<ReplicationAction> actions = new ArrayList<>();
        for (ServerState member : members) {
            if (member.reachable() && member.replication().configured()) {
                actions.add(new ReplicationAction.StopReceiving(member.pod()));
            }
        }
        actions.add(new ReplicationAction.Promote(promoted.pod(), promoted.replication().receivedGtids()));
        String reason = lost + "; unreachable for " + failover.primaryLostFor().toSeconds() + " s and lost by every replica";
        return ReplicationDecision.withoutPrimary(cluster, actions, promoted.pod(), "FailingOver",
                reason + ": promoting " + promoted.pod() + ", which holds every replica's transactions",
                new ReplicationPlan.Promotion(recorded, promoted.pod(), reason));
    }
}
