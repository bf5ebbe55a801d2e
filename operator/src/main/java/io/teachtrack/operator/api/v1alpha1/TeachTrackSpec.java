package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LocalObjectReference;

import java.util.List;

/** What the platform engineer asks for. The operator never writes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = EmptyObjectDefaults.class, input = "api,worker,redis,mysql")
public class TeachTrackSpec {

    @JsonPropertyDescription("The TeachTrack REST API: image, replicas or autoscaling, cache and read/write split.")
    private ApiSpec api = new ApiSpec();

    @JsonPropertyDescription("The worker that runs report jobs from the MySQL jobs table (same image as the API, TEACHTRACK_ROLE=worker).")
    private WorkerSpec worker = new WorkerSpec();

    @JsonPropertyDescription("The Redis cache in front of MySQL: a cache only, no persistence, least recently used keys evicted first.")
    private RedisSpec redis = new RedisSpec();

    @JsonPropertyDescription("The MySQL primary and its read replicas; the operator bootstraps and watches their GTID replication.")
    private MysqlSpec mysql = new MysqlSpec();

    @Size(max = 16)
    @JsonPropertyDescription("Secrets with registry credentials for pulling the images of every pod the operator creates"
            + " (the pods' imagePullSecrets). Each Secret must be in the TeachTrack's namespace.")
    private List<LocalObjectReference> imagePullSecrets;

    public ApiSpec getApi() { return api; }
    public void setApi(ApiSpec api) { this.api = api; }
    public WorkerSpec getWorker() { return worker; }
    public void setWorker(WorkerSpec worker) { this.worker = worker; }
    public RedisSpec getRedis() { return redis; }
    public void setRedis(RedisSpec redis) { this.redis = redis; }
    public MysqlSpec getMysql() { return mysql; }
    public void setMysql(MysqlSpec mysql) { this.mysql = mysql; }
    public List<LocalObjectReference> getImagePullSecrets() { return imagePullSecrets; }
    public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) { this.imagePullSecrets = imagePullSecrets; }
}
