package io.teachtrack.operator.replication;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Every MySQL server of one TeachTrack, observed in one pass, and what the spec and the earlier passes say.
 *
 * @param primaryOrdinal the recorded primary ({@code status.mysql.primary}; ordinal 0 for a new TeachTrack)
 * @param wantedReplicas {@code spec.mysql.replicas}
 * @param maxLagSeconds  {@code spec.api.readSplit.maxReplicaLagSeconds}: above it a replica serves no reads
 * @param semiSyncWait   how many replicas acknowledge each commit (0: semi-synchronous replication off)
 * @param failover       what automatic failover needs to know
 * @param switchoverTo   a replica pod a switchover was requested to and not yet attempted, or null
 */
public record ClusterState(int primaryOrdinal, List<ServerState> servers, int wantedReplicas, long maxLagSeconds,
                           int semiSyncWait, Failover failover, String switchoverTo) {

    public ClusterState(int primaryOrdinal, List<ServerState> servers, int wantedReplicas, long maxLagSeconds, int semiSyncWait,
                        Failover failover) {
        this(primaryOrdinal, servers, wantedReplicas, maxLagSeconds, semiSyncWait, failover, null);
    }

    /**
     * @param enabled           {@code spec.mysql.failover.enabled}
     * @param after             how long the primary must have been unreachable before a replica is promoted
     * @param primaryLostFor    how long the operator has found the primary unreachable (zero when it answers)
     * @param formerPrimary     the primary the last failover replaced, or null: its own extra transactions were never
     *                          acknowledged, so they exclude it instead of holding the new primary back
     * @param knownErrant       replicas the last pass found holding transactions the primary lacked
     */
    public record Failover(boolean enabled, Duration after, Duration primaryLostFor, String formerPrimary, Set<String> knownErrant) {

        public static final Failover DISABLED = new Failover(false, Duration.ZERO, Duration.ZERO, null, Set.of());
    }

    /** The same observation, knowing how long the primary has been lost. */
    public ClusterState withPrimaryLostFor(Duration lostFor) {
        return new ClusterState(primaryOrdinal, servers, wantedReplicas, maxLagSeconds, semiSyncWait,
                new Failover(failover.enabled(), failover.after(), lostFor, failover.formerPrimary(), failover.knownErrant()), switchoverTo);
    }

    /** The same observation, with a switchover requested to {@code pod} (null: none). */
    public ClusterState withSwitchoverTo(String pod) {
        return new ClusterState(primaryOrdinal, servers, wantedReplicas, maxLagSeconds, semiSyncWait, failover, pod);
    }

    public ServerState primary() {
        return servers.stream().filter(s -> s.ordinal() == primaryOrdinal).findFirst().orElse(null);
    }

    public List<ServerState> replicas() {
        return servers.stream().filter(s -> s.ordinal() != primaryOrdinal).toList();
    }
}
