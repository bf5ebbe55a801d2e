package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = EmptyObjectDefaults.class, input = "storage,failover")
public class MysqlSpec extends PodOptionsSpec {

    public static final int DEFAULT_REPLICAS = 2;
    public static final int DEFAULT_BINLOG_EXPIRY_HOURS = 7 * 24;

    @Default("MySQL")
    @ValidationRule(value = "self == oldSelf",
            message = "mysql.engine is immutable: the data of one engine cannot be served by the other; create a new TeachTrack instead")
    @JsonPropertyDescription("Database engine: MySQL (default image: MySQL 9.7 built by make images) or MariaDB (default image: MariaDB 11.8 built by make images). Immutable.")
    private MysqlEngine engine = MysqlEngine.MySQL;

    @Size(max = 512)
    @JsonPropertyDescription("Container image of the database; overrides the engine's default image. Must match the engine.")
    private String image;

    @Min(0)
    @Max(9)
    @Default("" + DEFAULT_REPLICAS)
    @JsonPropertyDescription("Number of read replicas, 0..9, each replicating from the primary with GTIDs. 0 sends every read to the primary.")
    private Integer replicas = DEFAULT_REPLICAS;

    @Min(1)
    @Max(8760)
    @Default("" + DEFAULT_BINLOG_EXPIRY_HOURS)
    @JsonPropertyDescription("Hours each server keeps its binary logs, 1..8760 (default 168, 7 days). A replica that was away longer"
            + " than this cannot catch up from the logs and must be seeded again.")
    private Integer binlogExpiryHours = DEFAULT_BINLOG_EXPIRY_HOURS;

    @JsonPropertyDescription("Persistent volume of each database pod.")
    private StorageSpec storage = new StorageSpec();

    @JsonPropertyDescription("Automatic failover: when the primary is lost, the most advanced replica is promoted.")
    private FailoverSpec failover = new FailoverSpec();

    @JsonPropertyDescription("CPU and memory requests and limits of each database container. Default: requests 250m CPU and 512Mi memory, limit 1Gi memory.")
    private ResourceRequirements resources;

    public MysqlEngine getEngine() { return engine; }
    public void setEngine(MysqlEngine engine) { this.engine = engine; }
    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
    public Integer getBinlogExpiryHours() { return binlogExpiryHours; }
    public void setBinlogExpiryHours(Integer binlogExpiryHours) { this.binlogExpiryHours = binlogExpiryHours; }
    public StorageSpec getStorage() { return storage; }
    public void setStorage(StorageSpec storage) { this.storage = storage; }
    public FailoverSpec getFailover() { return failover; }
    public void setFailover(FailoverSpec failover) { this.failover = failover; }
    public ResourceRequirements getResources() { return resources; }
    public void setResources(ResourceRequirements resources) { this.resources = resources; }
}
