package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class CacheSpec {

    public static final int DEFAULT_TTL_SECONDS = 1800;

    @Default("true")
    @JsonPropertyDescription("Whether the API caches reads in Redis (cache-aside). When false the API is given no Redis URL.")
    private Boolean enabled = Boolean.TRUE;

    @Min(1)
    @Max(86400)
    @Default("" + DEFAULT_TTL_SECONDS)
    @JsonPropertyDescription("Lifetime of a cache entry in seconds (1..86400); the API adds a little jitter.")
    private Integer ttlSeconds = DEFAULT_TTL_SECONDS;

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public Integer getTtlSeconds() { return ttlSeconds; }
    public void setTtlSeconds(Integer ttlSeconds) { this.ttlSeconds = ttlSeconds; }
}
