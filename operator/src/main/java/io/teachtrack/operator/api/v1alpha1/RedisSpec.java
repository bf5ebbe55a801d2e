package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisSpec extends PodOptionsSpec {

    public static final String DEFAULT_MAX_MEMORY = "256Mi";

    @Size(max = 512)
    @JsonPropertyDescription("Container image of Redis; unset: the operator's default (Redis 8.0 built by make images).")
    private String image;

    @Size(max = Quantities.MAX_LENGTH)
    @Default(DEFAULT_MAX_MEMORY)
    @ValidationRule(value = Quantities.IS_QUANTITY, message = "redis.maxMemory must be a quantity such as 256Mi or 1Gi")
    @JsonPropertyDescription("Memory Redis may use for cached data (its maxmemory, with the allkeys-lru policy), as a quantity such as 256Mi.")
    private String maxMemory = DEFAULT_MAX_MEMORY;

    @JsonPropertyDescription("CPU and memory requests and limits of the Redis container. Default: requests 100m CPU and maxMemory plus 64Mi, limit maxMemory plus 128Mi memory.")
    private ResourceRequirements resources;

    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public String getMaxMemory() { return maxMemory; }
    public void setMaxMemory(String maxMemory) { this.maxMemory = maxMemory; }
    public ResourceRequirements getResources() { return resources; }
    public void setResources(ResourceRequirements resources) { this.resources = resources; }
}
