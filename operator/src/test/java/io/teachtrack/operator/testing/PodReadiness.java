package io.teachtrack.operator.testing;

import io.fabric8.kubernetes.api.model.Pod;

/** What the tests mean by a ready pod: not being deleted, and its Ready condition True. */
public final class PodReadiness {

    private PodReadiness() {
    }

    public static boolean isReady(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
