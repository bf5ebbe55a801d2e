package io.teachtrack.operator.reconciler.conditions;

import io.teachtrack.operator.api.v1alpha1.TeachTrackSpec;

/** The workers' HPA exists only while worker autoscaling is on. */
public class WorkerAutoscalingEnabled extends SpecCondition {

    @Override
    protected boolean holds(TeachTrackSpec spec) {
        return Boolean.TRUE.equals(spec.getWorker().getAutoscaling().getEnabled());
    }
}
