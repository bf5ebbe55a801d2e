package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReplicaStatus {

    @JsonPropertyDescription("Pod name of the replica.")
    private String name;

    @JsonPropertyDescription("replica while this server serves reads (it carries the teachtrack.io/role=replica label the replicas'"
            + " Service selects); absent while it does not: stopped, errant, catching up or lagging beyond the read budget.")
    private String role;

    @JsonPropertyDescription("Replication state: Running, Connecting, Stopped, Error, ErrantTransactions, NeedsSeeding or Unreachable.")
    private String state;

    @JsonPropertyDescription("Seconds the replica is behind the primary; absent while unknown.")
    private Long lagSeconds;

    @JsonPropertyDescription("Whether the replication IO (receiver) thread runs.")
    private Boolean ioRunning;

    @JsonPropertyDescription("Whether the replication SQL (applier) thread runs.")
    private Boolean sqlRunning;

    @JsonPropertyDescription("The last IO or SQL error the replica reported, if any.")
    private String lastError;

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getRole() { return role; }
    public void setRole(String role) { this.role = role; }
    public String getState() { return state; }
    public void setState(String state) { this.state = state; }
    public Long getLagSeconds() { return lagSeconds; }
    public void setLagSeconds(Long lagSeconds) { this.lagSeconds = lagSeconds; }
    public Boolean getIoRunning() { return ioRunning; }
    public void setIoRunning(Boolean ioRunning) { this.ioRunning = ioRunning; }
    public Boolean getSqlRunning() { return sqlRunning; }
    public void setSqlRunning(Boolean sqlRunning) { this.sqlRunning = sqlRunning; }
    public String getLastError() { return lastError; }
    public void setLastError(String lastError) { this.lastError = lastError; }
}
