package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadStatus {

    @JsonPropertyDescription("Pods the Deployment currently wants.")
    private Integer replicas;

    @JsonPropertyDescription("Pods that pass their readiness probe.")
    private Integer readyReplicas;

    public WorkloadStatus() {
    }

    public WorkloadStatus(Integer replicas, Integer readyReplicas) {
        this.replicas = replicas;
        this.readyReplicas = readyReplicas;
    }

    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
    public Integer getReadyReplicas() { return readyReplicas; }
    public void setReadyReplicas(Integer readyReplicas) { this.readyReplicas = readyReplicas; }
}
