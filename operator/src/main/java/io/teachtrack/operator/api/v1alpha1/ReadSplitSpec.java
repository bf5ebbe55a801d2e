package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReadSplitSpec {

    public static final int DEFAULT_MAX_REPLICA_LAG_SECONDS = 2;

    @Default("true")
    @JsonPropertyDescription("Whether reads go to the read replicas. When false (or with no replicas) everything goes to the primary.")
    private Boolean enabled = Boolean.TRUE;

    @Min(0)
    @Max(3600)
    @Default("" + DEFAULT_MAX_REPLICA_LAG_SECONDS)
    @JsonPropertyDescription("Largest replica lag in seconds (0..3600) at which the API still reads from a replica, and at which ReplicationReady stays True.")
    private Integer maxReplicaLagSeconds = DEFAULT_MAX_REPLICA_LAG_SECONDS;

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public Integer getMaxReplicaLagSeconds() { return maxReplicaLagSeconds; }
    public void setMaxReplicaLagSeconds(Integer maxReplicaLagSeconds) { this.maxReplicaLagSeconds = maxReplicaLagSeconds; }
}
