package io.teachtrack.operator.testing.pods;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.Map;
import java.util.Optional;

/** Knows how to run one component's pods as local processes. */
public interface PodRuntime {

    /** The value of the pod's {@code app.kubernetes.io/component} label this runtime serves. */
    String component();

    /**
     * Starts the pod's process bound to its pod IP, with the container's environment already resolved; empty
     * while something else the pod needs (a ConfigMap it mounts) does not exist yet, so the kubelet loop tries again.
     */
    Optional<PodProcess> start(Pod pod, Map<String, String> environment, PodContext context);
}
