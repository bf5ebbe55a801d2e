package io.teachtrack.operator.replication;

import java.util.List;

/**
 * Every MySQL server of one TeachTrack, observed in one pass, and what the spec says.
 *
 * @param primaryOrdinal the recorded primary ({@code status.mysql.primary}; ordinal 0 for a new TeachTrack)
 * @param wantedReplicas {@code spec.mysql.replicas}
 * @param maxLagSeconds  {@code spec.api.readSplit.maxReplicaLagSeconds}: above it a replica serves no reads
 */
public record ClusterState(int primaryOrdinal, List<ServerState> servers, int wantedReplicas, long maxLagSeconds) {

    public ServerState primary() {
        return servers.stream().filter(s -> s.ordinal() == primaryOrdinal).findFirst().orElse(null);
    }

    public List<ServerState> replicas() {
        return servers.stream().filter(s -> s.ordinal() != primaryOrdinal).toList();
    }
}
