package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SemiSyncStatus {

    @JsonPropertyDescription("The primary's commits wait for replica acknowledgements (false only with 0 replicas).")
    private Boolean enabled;

    @JsonPropertyDescription("The primary is waiting for acknowledgements now; false while enabled would mean it fell back to"
            + " asynchronous replication, which the operator's settings never allow.")
    private Boolean active;

    @JsonPropertyDescription("Replicas that must acknowledge each commit: max(1, replicas / 2); MariaDB always waits for one.")
    private Integer waitForReplicas;

    @JsonPropertyDescription("Semi-synchronous replicas connected to the primary. Below waitForReplicas, commits wait.")
    private Integer connectedReplicas;

    public SemiSyncStatus() {
    }

    public SemiSyncStatus(Boolean enabled, Boolean active, Integer waitForReplicas, Integer connectedReplicas) {
        this.enabled = enabled;
        this.active = active;
        this.waitForReplicas = waitForReplicas;
        this.connectedReplicas = connectedReplicas;
    }

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public Boolean getActive() { return active; }
    public void setActive(Boolean active) { this.active = active; }
    public Integer getWaitForReplicas() { return waitForReplicas; }
    public void setWaitForReplicas(Integer waitForReplicas) { this.waitForReplicas = waitForReplicas; }
    public Integer getConnectedReplicas() { return connectedReplicas; }
    public void setConnectedReplicas(Integer connectedReplicas) { this.connectedReplicas = connectedReplicas; }
}
