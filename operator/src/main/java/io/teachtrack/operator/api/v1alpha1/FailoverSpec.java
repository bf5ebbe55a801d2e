package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailoverSpec {

    public static final int DEFAULT_AFTER_SECONDS = 10;

    @Default("true")
    @JsonPropertyDescription("Promote a replica automatically when the primary is lost (default true). Off: the platform stops taking"
            + " writes until the primary returns.")
    private Boolean enabled = true;

    @Min(2)
    @Max(3600)
    @Default("" + DEFAULT_AFTER_SECONDS)
    @JsonPropertyDescription("Seconds the primary must stay unreachable, to the operator and to every replica, before a replica is"
            + " promoted, 2..3600 (default 10). Shorter fails over sooner; longer rides out brief outages without one.")
    private Integer afterSeconds = DEFAULT_AFTER_SECONDS;

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public Integer getAfterSeconds() { return afterSeconds; }
    public void setAfterSeconds(Integer afterSeconds) { this.afterSeconds = afterSeconds; }
}
