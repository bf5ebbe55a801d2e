package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = EmptyObjectDefaults.class, input = "autoscaling,cache,readSplit,service")
public class ApiSpec extends PodOptionsSpec {

    public static final int DEFAULT_REPLICAS = 2;

    @Size(max = 512)
    @JsonPropertyDescription("Container image of the TeachTrack API. Default: the operator's configured API image.")
    private String image;

    @JsonPropertyDescription("Image pull policy of the API and worker containers: Always, IfNotPresent or Never. Default: Kubernetes' own default for the image tag.")
    private ImagePullPolicy imagePullPolicy;

    @Min(1)
    @Max(100)
    @Default("" + DEFAULT_REPLICAS)
    @JsonPropertyDescription("Number of API pods, 1..100. Used only when autoscaling is off; the HorizontalPodAutoscaler decides otherwise.")
    private Integer replicas = DEFAULT_REPLICAS;

    @JsonPropertyDescription("CPU and memory requests and limits of each API container. Default: requests 250m CPU and 512Mi memory, limit 512Mi memory (the image gives the JVM heap 40 % of the memory limit; keep the memory request equal to the limit so the memory target measures against what the JVM may use).")
    private ResourceRequirements resources;

    @JsonPropertyDescription("HorizontalPodAutoscaler of the API Deployment (autoscaling/v2).")
    private ApiAutoscalingSpec autoscaling = new ApiAutoscalingSpec();

    @JsonPropertyDescription("Redis cache-aside in the API.")
    private CacheSpec cache = new CacheSpec();

    @JsonPropertyDescription("Read/write split: reads go to the MySQL read replicas while they keep up, writes to the primary.")
    private ReadSplitSpec readSplit = new ReadSplitSpec();

    @JsonPropertyDescription("The API Service: its type and annotations.")
    private ApiServiceSpec service = new ApiServiceSpec();

    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public ImagePullPolicy getImagePullPolicy() { return imagePullPolicy; }
    public void setImagePullPolicy(ImagePullPolicy imagePullPolicy) { this.imagePullPolicy = imagePullPolicy; }
    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
    public ResourceRequirements getResources() { return resources; }
    public void setResources(ResourceRequirements resources) { this.resources = resources; }
    public ApiAutoscalingSpec getAutoscaling() { return autoscaling; }
    public void setAutoscaling(ApiAutoscalingSpec autoscaling) { this.autoscaling = autoscaling; }
    public CacheSpec getCache() { return cache; }
    public void setCache(CacheSpec cache) { this.cache = cache; }
    public ReadSplitSpec getReadSplit() { return readSplit; }
    public void setReadSplit(ReadSplitSpec readSplit) { this.readSplit = readSplit; }
    public ApiServiceSpec getService() { return service; }
    public void setService(ApiServiceSpec service) { this.service = service; }
}
