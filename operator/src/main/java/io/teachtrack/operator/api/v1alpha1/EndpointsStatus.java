package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class EndpointsStatus {

    @JsonPropertyDescription("The API Service, host:port.")
    private String api;

    @JsonPropertyDescription("The Service selecting the MySQL primary, host:port (writes).")
    private String mysqlPrimary;

    @JsonPropertyDescription("The Service selecting the MySQL read replicas, host:port (reads); absent without replicas.")
    private String mysqlReplicas;

    @JsonPropertyDescription("The Redis Service, host:port.")
    private String redis;

    public String getApi() { return api; }
    public void setApi(String api) { this.api = api; }
    public String getMysqlPrimary() { return mysqlPrimary; }
    public void setMysqlPrimary(String mysqlPrimary) { this.mysqlPrimary = mysqlPrimary; }
    public String getMysqlReplicas() { return mysqlReplicas; }
    public void setMysqlReplicas(String mysqlReplicas) { this.mysqlReplicas = mysqlReplicas; }
    public String getRedis() { return redis; }
    public void setRedis(String redis) { this.redis = redis; }
}
