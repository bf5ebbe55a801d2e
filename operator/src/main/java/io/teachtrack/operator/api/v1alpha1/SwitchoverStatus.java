package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SwitchoverStatus {

    @JsonPropertyDescription("The value of the teachtrack.io/switchover annotation this record answers; cleared once the annotation"
            + " is removed, so the same value can be requested again.")
    private String request;

    @JsonPropertyDescription("When the switchover was attempted or rejected (RFC 3339).")
    private String time;

    @JsonPropertyDescription("The primary before the switchover.")
    private String from;

    @JsonPropertyDescription("The replica asked to become the primary.")
    private String to;

    @JsonPropertyDescription("Completed, Failed (abandoned after a step's deadline: the old primary takes writes again) or Rejected.")
    private String result;

    @JsonPropertyDescription("What happened, or why the request was rejected or abandoned.")
    private String message;

    public String getRequest() { return request; }
    public void setRequest(String request) { this.request = request; }
    public String getTime() { return time; }
    public void setTime(String time) { this.time = time; }
    public String getFrom() { return from; }
    public void setFrom(String from) { this.from = from; }
    public String getTo() { return to; }
    public void setTo(String to) { this.to = to; }
    public String getResult() { return result; }
    public void setResult(String result) { this.result = result; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
}
