package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.teachtrack.operator.api.v1alpha1.PodOptionsSpec;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Adds what the spec asks of a component's pods (placement, priority, labels, annotations, image pull Secrets) to the
 * pod template a model built. The operator's labels and annotations win over the spec's (the CRD rejects the keys
 * already; this keeps a selector intact even if validation were bypassed). Everything is copied, never shared: the
 * TeachTrack comes from the informer's cache.
 */
public final class PodOptions {

    private PodOptions() {
    }

    public static void apply(PodTemplateSpec template, TeachTrack tt, Component component, PodOptionsSpec options) {
        ObjectMeta metadata = template.getMetadata();
        metadata.setLabels(merged(options.getPodLabels(), metadata.getLabels()));
        Map<String, String> annotations = merged(options.getPodAnnotations(), metadata.getAnnotations());
        metadata.setAnnotations(annotations.isEmpty() ? null : annotations);

        PodSpec pod = template.getSpec();
        if (options.getNodeSelector() != null && !options.getNodeSelector().isEmpty()) {
            pod.setNodeSelector(new TreeMap<>(options.getNodeSelector()));
        }
        if (options.getTolerations() != null && !options.getTolerations().isEmpty()) {
            pod.setTolerations(options.getTolerations().stream().map(t -> new TolerationBuilder(t).build()).toList());
        }
        pod.setAffinity(affinity(options.getAffinity(), pod.getAffinity()));
        if (options.getTopologySpreadConstraints() != null && !options.getTopologySpreadConstraints().isEmpty()) {
            pod.setTopologySpreadConstraints(options.getTopologySpreadConstraints().stream()
                    .map(c -> {
                        var copy = new TopologySpreadConstraintBuilder(c);
                        if (c.getLabelSelector() == null) {
                            copy.withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Labels.selector(tt, component)).build());
                        }
                        return copy.build();
                    })
                    .toList());
        }
        if (options.getPriorityClassName() != null && !options.getPriorityClassName().isBlank()) {
            pod.setPriorityClassName(options.getPriorityClassName());
        }
        var pullSecrets = tt.getSpec().getImagePullSecrets();
        if (pullSecrets != null && !pullSecrets.isEmpty()) {
            pod.setImagePullSecrets(pullSecrets.stream().map(s -> new LocalObjectReferenceBuilder(s).build()).toList());
        }
    }

    /** The spec's entries, then the operator's over them. */
    private static Map<String, String> merged(Map<String, String> fromSpec, Map<String, String> operators) {
        Map<String, String> merged = new TreeMap<>(Objects.requireNonNullElse(fromSpec, Map.of()));
        merged.putAll(Objects.requireNonNullElse(operators, Map.of()));
        return merged;
    }

    /** Each part the spec gives replaces the operator's default for that part; the others stay. */
    private static Affinity affinity(Affinity fromSpec, Affinity defaults) {
        if (fromSpec == null) {
            return defaults;
        }
        Affinity copy = new AffinityBuilder(fromSpec).build();
        AffinityBuilder merged = new AffinityBuilder(defaults == null ? new Affinity() : defaults);
        if (copy.getNodeAffinity() != null) {
            merged.withNodeAffinity(copy.getNodeAffinity());
        }
        if (copy.getPodAffinity() != null) {
            merged.withPodAffinity(copy.getPodAffinity());
        }
        if (copy.getPodAntiAffinity() != null) {
            merged.withPodAntiAffinity(copy.getPodAntiAffinity());
        }
        return merged.build();
    }
}
