package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(value = AutoscalingSpec.MIN_LE_MAX_RULE, message = "api.autoscaling.minReplicas must be less than or equal to api.autoscaling.maxReplicas")
public class ApiAutoscalingSpec extends AutoscalingSpec {

    public static final int DEFAULT_MIN_REPLICAS = 4;
    public static final int DEFAULT_MAX_REPLICAS = 16;
    public static final int DEFAULT_TARGET_MEMORY = 80;

    @Min(1)
    @Max(100)
    @Default("" + DEFAULT_MIN_REPLICAS)
    @JsonPropertyDescription("Fewest API pods the autoscaler keeps (1..100, at most maxReplicas).")
    private Integer minReplicas = DEFAULT_MIN_REPLICAS;

    @Min(1)
    @Max(100)
    @Default("" + DEFAULT_MAX_REPLICAS)
    @JsonPropertyDescription("Most API pods the autoscaler may run (1..100, at least minReplicas).")
    private Integer maxReplicas = DEFAULT_MAX_REPLICAS;

    @Min(1)
    @Max(100)
    @Default("" + DEFAULT_TARGET_MEMORY)
    @JsonPropertyDescription("Average memory utilisation, in percent of the memory request, that the autoscaler aims for (1..100).")
    private Integer targetMemoryUtilization = DEFAULT_TARGET_MEMORY;

    @Min(1)
    @Max(1000000)
    @JsonPropertyDescription("Average HTTP requests per second per API pod that the autoscaler aims for, as a Pods metric named "
            + "http_server_requests_per_second (1..1000000). Unset: no such metric. The cluster needs a custom metrics adapter that "
            + "serves it from the API pods' http_server_requests_seconds_count (docs/api.md, scaling on requests per second).")
    private Integer targetRequestsPerSecond;

    @Override
    public Integer getMinReplicas() { return minReplicas; }
    public void setMinReplicas(Integer minReplicas) { this.minReplicas = minReplicas; }
    @Override
    public Integer getMaxReplicas() { return maxReplicas; }
    public void setMaxReplicas(Integer maxReplicas) { this.maxReplicas = maxReplicas; }
    @Override
    public Integer getTargetMemoryUtilization() { return targetMemoryUtilization; }
    public void setTargetMemoryUtilization(Integer targetMemoryUtilization) { this.targetMemoryUtilization = targetMemoryUtilization; }
    public Integer getTargetRequestsPerSecond() { return targetRequestsPerSecond; }
    public void setTargetRequestsPerSecond(Integer targetRequestsPerSecond) { this.targetRequestsPerSecond = targetRequestsPerSecond; }
}
