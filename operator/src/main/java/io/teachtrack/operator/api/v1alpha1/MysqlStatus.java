package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MysqlStatus {

    @JsonPropertyDescription("Name of the pod running the primary.")
    private String primary;

    @JsonPropertyDescription("StatefulSet ordinal of the primary's pod: the record the operator keeps of which server takes writes.")
    private Integer primaryOrdinal;

    @JsonPropertyDescription("Read replicas whose replication runs with lag within spec.api.readSplit.maxReplicaLagSeconds.")
    private Integer readyReplicas;

    @JsonPropertyDescription("Largest replication lag in seconds over all replicas.")
    private Long maxLagSeconds;

    @JsonPropertyDescription("Lossless semi-synchronous replication on the primary.")
    private SemiSyncStatus semiSync;

    @JsonPropertyDescription("The last automatic failover, if any.")
    private FailoverStatus lastFailover;

    @JsonPropertyDescription("The last switchover requested with the teachtrack.io/switchover annotation, and what became of it.")
    private SwitchoverStatus lastSwitchover;

    @JsonPropertyDescription("Replication state of each read replica.")
    private List<ReplicaStatus> replicas = new ArrayList<>();

    public String getPrimary() { return primary; }
    public void setPrimary(String primary) { this.primary = primary; }
    public Integer getPrimaryOrdinal() { return primaryOrdinal; }
    public void setPrimaryOrdinal(Integer primaryOrdinal) { this.primaryOrdinal = primaryOrdinal; }
    public Integer getReadyReplicas() { return readyReplicas; }
    public void setReadyReplicas(Integer readyReplicas) { this.readyReplicas = readyReplicas; }
    public Long getMaxLagSeconds() { return maxLagSeconds; }
    public void setMaxLagSeconds(Long maxLagSeconds) { this.maxLagSeconds = maxLagSeconds; }
    public SemiSyncStatus getSemiSync() { return semiSync; }
    public void setSemiSync(SemiSyncStatus semiSync) { this.semiSync = semiSync; }
    public FailoverStatus getLastFailover() { return lastFailover; }
    public void setLastFailover(FailoverStatus lastFailover) { this.lastFailover = lastFailover; }
    public SwitchoverStatus getLastSwitchover() { return lastSwitchover; }
    public void setLastSwitchover(SwitchoverStatus lastSwitchover) { this.lastSwitchover = lastSwitchover; }
    public List<ReplicaStatus> getReplicas() { return replicas; }
    public void setReplicas(List<ReplicaStatus> replicas) { this.replicas = replicas; }
}
