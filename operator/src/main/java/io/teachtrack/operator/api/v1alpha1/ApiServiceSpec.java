package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;

import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApiServiceSpec {

    @Default("ClusterIP")
    @JsonPropertyDescription("Type of the API Service: ClusterIP (default; reach it through an Ingress or Gateway), NodePort"
            + " or LoadBalancer.")
    private ServiceType type = ServiceType.ClusterIP;

    @Size(max = 64)
    @JsonPropertyDescription("Annotations of the API Service, for example a cloud load balancer's settings.")
    private Map<String, String> annotations;

    public ServiceType getType() { return type; }
    public void setType(ServiceType type) { this.type = type; }
    public Map<String, String> getAnnotations() { return annotations; }
    public void setAnnotations(Map<String, String> annotations) { this.annotations = annotations; }
}
