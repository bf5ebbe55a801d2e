package io.teachtrack.operator.status;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.Objects;

/** Whether a workload has finished rolling out its current generation with every wanted pod ready. */
public final class WorkloadReadiness {

    private WorkloadReadiness() {
    }

    public static boolean allReady(StatefulSet sts) {
        if (sts == null || sts.getStatus() == null || sts.getSpec() == null) {
            return false;
        }
        int wanted = Objects.requireNonNullElse(sts.getSpec().getReplicas(), 1);
        var status = sts.getStatus();
        return observedCurrentGeneration(status.getObservedGeneration(), sts.getMetadata().getGeneration())
                && count(status.getReadyReplicas()) == wanted
                && count(status.getReplicas()) == wanted;
    }

    public static boolean rolledOut(Deployment deployment) {
        if (deployment == null || deployment.getStatus() == null || deployment.getSpec() == null) {
            return false;
        }
        int wanted = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        var status = deployment.getStatus();
        return observedCurrentGeneration(status.getObservedGeneration(), deployment.getMetadata().getGeneration())
                && wanted > 0
                && count(status.getUpdatedReplicas()) == wanted
                && count(status.getReadyReplicas()) == wanted
                && count(status.getReplicas()) == wanted;
    }

    public static int ready(Deployment deployment) {
        return deployment == null || deployment.getStatus() == null ? 0 : count(deployment.getStatus().getReadyReplicas());
    }

    /** Pods the Deployment wants now (set by the operator, or by the HPA while it manages the Deployment). */
    public static int wanted(Deployment deployment) {
        return deployment == null || deployment.getSpec() == null ? 0 : count(deployment.getSpec().getReplicas());
    }

    public static int ready(StatefulSet sts) {
        return sts == null || sts.getStatus() == null ? 0 : count(sts.getStatus().getReadyReplicas());
    }

    private static boolean observedCurrentGeneration(Long observed, Long generation) {
        return generation == null || (observed != null && observed >= generation);
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }
}
