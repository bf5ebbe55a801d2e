package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * What the API and worker autoscalers share. The bounds differ per workload, so each subclass declares
 * its own defaults and the min ≤ max rule.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class AutoscalingSpec {

    /** Rule and message shared by every autoscaling block. */
    static final String MIN_LE_MAX_RULE =
            "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas";

    public static final int DEFAULT_TARGET_CPU = 70;

    @Default("true")
    @JsonPropertyDescription("Whether a HorizontalPodAutoscaler scales the Deployment. When false, `replicas` applies.")
    private Boolean enabled = Boolean.TRUE;

    @Min(1)
    @Max(100)
    @Default("" + DEFAULT_TARGET_CPU)
    @JsonPropertyDescription("Average CPU utilisation, in percent of the CPU request, that the autoscaler aims for (1..100).")
    private Integer targetCPUUtilization = DEFAULT_TARGET_CPU;

    public abstract Integer getMinReplicas();

    public abstract Integer getMaxReplicas();

    /** Average memory utilisation target in percent, or null for a CPU-only autoscaler. */
    public abstract Integer getTargetMemoryUtilization();

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public Integer getTargetCPUUtilization() { return targetCPUUtilization; }
    public void setTargetCPUUtilization(Integer targetCPUUtilization) { this.targetCPUUtilization = targetCPUUtilization; }
}
