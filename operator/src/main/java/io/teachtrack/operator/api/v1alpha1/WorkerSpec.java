package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = EmptyObjectDefaults.class, input = "autoscaling")
public class WorkerSpec extends PodOptionsSpec {

    public static final int DEFAULT_REPLICAS = 2;

    @Min(1)
    @Max(100)
    @Default("" + DEFAULT_REPLICAS)
    @JsonPropertyDescription("Number of worker pods, 1..100. Used only when autoscaling is off.")
    private Integer replicas = DEFAULT_REPLICAS;

    @JsonPropertyDescription("CPU and memory requests and limits of each worker container. Default: requests 100m CPU and 256Mi memory, limit 512Mi memory.")
    private ResourceRequirements resources;

    @JsonPropertyDescription("HorizontalPodAutoscaler of the worker Deployment (autoscaling/v2).")
    private WorkerAutoscalingSpec autoscaling = new WorkerAutoscalingSpec();

    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
    public ResourceRequirements getResources() { return resources; }
    public void setResources(ResourceRequirements resources) { this.resources = resources; }
    public WorkerAutoscalingSpec getAutoscaling() { return autoscaling; }
    public void setAutoscaling(WorkerAutoscalingSpec autoscaling) { this.autoscaling = autoscaling; }
}
