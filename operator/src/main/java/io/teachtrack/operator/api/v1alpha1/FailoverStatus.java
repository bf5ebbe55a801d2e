package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailoverStatus {

    @JsonPropertyDescription("When the replica was promoted (RFC 3339).")
    private String time;

    @JsonPropertyDescription("The primary that was lost.")
    private String from;

    @JsonPropertyDescription("The replica promoted in its place.")
    private String to;

    @JsonPropertyDescription("Why: how the primary was lost, and for how long.")
    private String reason;

    public FailoverStatus() {
    }

    public FailoverStatus(String time, String from, String to, String reason) {
        this.time = time;
        this.from = from;
        this.to = to;
        this.reason = reason;
    }

    public String getTime() { return time; }
    public void setTime(String time) { this.time = time; }
    public String getFrom() { return from; }
    public void setFrom(String from) { this.from = from; }
    public String getTo() { return to; }
    public void setTo(String to) { this.to = to; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
}
