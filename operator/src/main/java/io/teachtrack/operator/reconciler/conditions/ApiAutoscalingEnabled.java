package io.teachtrack.operator.reconciler.conditions;

import io.teachtrack.operator.api.v1alpha1.TeachTrackSpec;

/** The API's HPA exists only while API autoscaling is on; turning it off removes the HPA. */
public class ApiAutoscalingEnabled extends SpecCondition {

    @Override
    protected boolean holds(TeachTrackSpec spec) {
        return Boolean.TRUE.equals(spec.getApi().getAutoscaling().getEnabled());
    }
}
