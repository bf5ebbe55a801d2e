package io.teachtrack.operator.replication;

import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.api.v1alpha1.SemiSyncStatus;

import java.util.List;
import java.util.Set;

/**
 * What one pass of the replication step found and did: the primary, the ReplicationReady condition it reports, whether
 * the app database and user are in place (the API and workers wait for that), and each replica's state.
 * (A class, not a record: the operator SDK's build step inspects dependent resource types' hierarchy.)
 */
public final class ReplicationReport {

    /** Reasons that mean no primary takes writes: the DatabaseReady condition carries them too. */
    private static final Set<String> PRIMARY_PROBLEMS = Set.of("PrimaryUnreachable", "PrimaryBehindReplicas", "WaitingForReplicas",
            "PrimaryUnconfirmed", "FailoverBlocked", "CredentialsRejected", "FailingOver", "FailoverFailed", "SwitchingOver");

    private final String primaryPod;
    private final String status;
    private final String reason;
    private final String message;
    private final boolean appDatabaseReady;
    private final Integer readyReplicas;
    private final Long maxLagSeconds;
    private final List<ReplicaStatus> replicas;
    private final SemiSyncStatus semiSync;
    private final ReplicationPlan.Promotion promotion;
    private final boolean watchClosely;
    private final ReplicationPlan.Switchover switchover;

    public ReplicationReport(String primaryPod, String status, String reason, String message, boolean appDatabaseReady,
                             Integer readyReplicas, Long maxLagSeconds, List<ReplicaStatus> replicas) {
        this(primaryPod, status, reason, message, appDatabaseReady, readyReplicas, maxLagSeconds, replicas, null, null, false, null);
    }

    /**
     * @param semiSync     the primary's semi-synchronous replication, or null when it was not observed
     * @param promotion    the failover this pass carried out, or null
     * @param watchClosely the primary is lost or being replaced: reconcile again soon
     * @param switchover   what became of a requested switchover (Completed, Failed or Rejected), or null
     */
    public ReplicationReport(String primaryPod, String status, String reason, String message, boolean appDatabaseReady,
                             Integer readyReplicas, Long maxLagSeconds, List<ReplicaStatus> replicas, SemiSyncStatus semiSync,
                             ReplicationPlan.Promotion promotion, boolean watchClosely, ReplicationPlan.Switchover switchover) {
        this.primaryPod = primaryPod;
        this.status = status;
        this.reason = reason;
        this.message = message;
        this.appDatabaseReady = appDatabaseReady;
        this.readyReplicas = readyReplicas;
        this.maxLagSeconds = maxLagSeconds;
        this.replicas = List.copyOf(replicas);
        this.semiSync = semiSync;
        this.promotion = promotion;
        this.watchClosely = watchClosely;
        this.switchover = switchover;
    }

    /** The recorded primary, or null before there is one. */
    public String primaryPod() { return primaryPod; }
    public boolean primaryProblem() { return PRIMARY_PROBLEMS.contains(reason); }
    public String status() { return status; }
    public String reason() { return reason; }
    public String message() { return message; }
    public boolean appDatabaseReady() { return appDatabaseReady; }
    public Integer readyReplicas() { return readyReplicas; }
    public Long maxLagSeconds() { return maxLagSeconds; }
    public List<ReplicaStatus> replicas() { return replicas; }
    public SemiSyncStatus semiSync() { return semiSync; }
    public ReplicationPlan.Promotion promotion() { return promotion; }
    public boolean watchClosely() { return watchClosely; }
    public ReplicationPlan.Switchover switchover() { return switchover; }
}
