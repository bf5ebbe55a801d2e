package io.teachtrack.operator.mysql;

import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;

import java.util.List;

/**
 * What one pass of the replication step found and did: the ReplicationReady condition it reports, whether
 * the app database and user are in place (the API and workers wait for that), and each replica's state.
 * (A class, not a record: the operator SDK's build step inspects dependent resource types' hierarchy.)
 */
public final class ReplicationReport {

    private final String status;
    private final String reason;
    private final String message;
    private final boolean appDatabaseReady;
    private final Integer readyReplicas;
    private final Long maxLagSeconds;
    private final List<ReplicaStatus> replicas;

    public ReplicationReport(String status, String reason, String message, boolean appDatabaseReady,
                             Integer readyReplicas, Long maxLagSeconds, List<ReplicaStatus> replicas) {
        this.status = status;
        this.reason = reason;
        this.message = message;
        this.appDatabaseReady = appDatabaseReady;
        this.readyReplicas = readyReplicas;
        this.maxLagSeconds = maxLagSeconds;
        this.replicas = List.copyOf(replicas);
    }

    public String status() { return status; }
    public String reason() { return reason; }
    public String message() { return message; }
    public boolean appDatabaseReady() { return appDatabaseReady; }
    public Integer readyReplicas() { return readyReplicas; }
    public Long maxLagSeconds() { return maxLagSeconds; }
    public List<ReplicaStatus> replicas() { return replicas; }
}
