package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisStatus {

    @JsonPropertyDescription("Whether the Redis pod is ready.")
    private Boolean ready;

    public Boolean getReady() { return ready; }
    public void setReady(Boolean ready) { this.ready = ready; }
}
