package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

/** What the operator observed; written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TeachTrackStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Summary for humans: Provisioning, Ready, Degraded or Failed.")
    private Phase phase;

    @JsonPropertyDescription("Ready, Progressing and Degraded (the summary Argo CD reads), and DatabaseReady, ReplicationReady, CacheReady, ApiReady, WorkersReady.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Pods of the API Deployment.")
    private WorkloadStatus api;

    @JsonPropertyDescription("Pods of the worker Deployment.")
    private WorkloadStatus workers;

    @JsonPropertyDescription("The MySQL primary and the replication state of each read replica.")
    private MysqlStatus mysql;

    @JsonPropertyDescription("The Redis cache.")
    private RedisStatus redis;

    @JsonPropertyDescription("In-cluster addresses of the platform's services.")
    private EndpointsStatus endpoints;

    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public Phase getPhase() { return phase; }
    public void setPhase(Phase phase) { this.phase = phase; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public WorkloadStatus getApi() { return api; }
    public void setApi(WorkloadStatus api) { this.api = api; }
    public WorkloadStatus getWorkers() { return workers; }
    public void setWorkers(WorkloadStatus workers) { this.workers = workers; }
    public MysqlStatus getMysql() { return mysql; }
    public void setMysql(MysqlStatus mysql) { this.mysql = mysql; }
    public RedisStatus getRedis() { return redis; }
    public void setRedis(RedisStatus redis) { this.redis = redis; }
    public EndpointsStatus getEndpoints() { return endpoints; }
    public void setEndpoints(EndpointsStatus endpoints) { this.endpoints = endpoints; }
}
