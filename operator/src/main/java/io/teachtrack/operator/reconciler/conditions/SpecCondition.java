package io.teachtrack.operator.reconciler.conditions;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.api.v1alpha1.TeachTrackSpec;

/** A reconcile precondition read from the spec alone: when it does not hold, the child is removed. */
public abstract class SpecCondition implements Condition<Object, TeachTrack> {

    protected abstract boolean holds(TeachTrackSpec spec);

    @Override
    public boolean isMet(DependentResource<Object, TeachTrack> dependent, TeachTrack primary, Context<TeachTrack> context) {
        return holds(primary.getSpec());
    }
}
