package io.teachtrack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;

import java.util.List;
import java.util.Map;

/**
 * What a platform engineer may add to one component's pods: where they run, and labels or annotations other tools
 * read. The operator's own labels and annotations cannot be overridden: its selectors, NetworkPolicies and rollouts
 * depend on them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class PodOptionsSpec {

    /** Keys of the operator's own pod labels (and of everything under teachtrack.io/), in CEL. */
    private static final String OPERATOR_LABEL = "k.startsWith('teachtrack.io/') || k in ['app.kubernetes.io/name',"
            + " 'app.kubernetes.io/component', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by']";

    @Size(max = 64)
    @JsonPropertyDescription("Node labels the pods' nodes must have (the pods' nodeSelector).")
    private Map<String, String> nodeSelector;

    @Size(max = 64)
    @JsonPropertyDescription("Tolerations of the pods: they may then run on nodes with matching taints.")
    private List<Toleration> tolerations;

    @JsonPropertyDescription("Scheduling affinity of the pods. Each of nodeAffinity, podAffinity and podAntiAffinity that is"
            + " given replaces the operator's default for it; the default is a preferred podAntiAffinity that spreads the"
            + " component's pods over nodes (kubernetes.io/hostname), for the API, the worker and MySQL.")
    private Affinity affinity;

    @Size(max = 16)
    @JsonPropertyDescription("Topology spread constraints of the pods. A constraint without labelSelector spreads the"
            + " component's own pods (the operator fills in its selector).")
    private List<TopologySpreadConstraint> topologySpreadConstraints;

    @Size(max = 253)
    @JsonPropertyDescription("PriorityClass of the pods; the class must exist. Default: the cluster's default priority.")
    private String priorityClassName;

    @Size(max = 64)
    @ValidationRule(value = "!self.exists(k, k.startsWith('teachtrack.io/'))",
            message = "podAnnotations under teachtrack.io/ are the operator's")
    @JsonPropertyDescription("Annotations added to the pods (not to their Deployment or StatefulSet). Keys under"
            + " teachtrack.io/ are the operator's and rejected.")
    private Map<String, String> podAnnotations;

    @Size(max = 64)
    @ValidationRule(value = "!self.exists(k, " + OPERATOR_LABEL + ")",
            message = "podLabels may not set the operator's labels (app.kubernetes.io/name, component, part-of, managed-by, teachtrack.io/*)")
    @JsonPropertyDescription("Labels added to the pods. The operator's own labels (app.kubernetes.io/name, component,"
            + " part-of, managed-by and teachtrack.io/*) select and protect its pods and are rejected.")
    private Map<String, String> podLabels;

    public Map<String, String> getNodeSelector() { return nodeSelector; }
    public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
    public List<Toleration> getTolerations() { return tolerations; }
    public void setTolerations(List<Toleration> tolerations) { this.tolerations = tolerations; }
    public Affinity getAffinity() { return affinity; }
    public void setAffinity(Affinity affinity) { this.affinity = affinity; }
    public List<TopologySpreadConstraint> getTopologySpreadConstraints() { return topologySpreadConstraints; }
    public void setTopologySpreadConstraints(List<TopologySpreadConstraint> topologySpreadConstraints) {
        this.topologySpreadConstraints = topologySpreadConstraints;
    }
    public String getPriorityClassName() { return priorityClassName; }
    public void setPriorityClassName(String priorityClassName) { this.priorityClassName = priorityClassName; }
    public Map<String, String> getPodAnnotations() { return podAnnotations; }
    public void setPodAnnotations(Map<String, String> podAnnotations) { this.podAnnotations = podAnnotations; }
    public Map<String, String> getPodLabels() { return podLabels; }
    public void setPodLabels(Map<String, String> podLabels) { this.podLabels = podLabels; }
}
