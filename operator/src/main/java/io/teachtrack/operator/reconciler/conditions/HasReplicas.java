package io.teachtrack.operator.reconciler.conditions;

import io.teachtrack.operator.api.v1alpha1.TeachTrackSpec;

/** The replicas' PodDisruptionBudget exists only while there are read replicas. */
public class HasReplicas extends SpecCondition {

    @Override
    protected boolean holds(TeachTrackSpec spec) {
        return spec.getMysql().getReplicas() > 0;
    }
}
