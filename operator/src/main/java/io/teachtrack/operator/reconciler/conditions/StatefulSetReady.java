package io.teachtrack.operator.reconciler.conditions;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.status.WorkloadReadiness;

/** A StatefulSet is ready when all the pods it wants are ready (used for the MySQL primary). */
public class StatefulSetReady implements Condition<StatefulSet, TeachTrack> {

    @Override
    public boolean isMet(DependentResource<StatefulSet, TeachTrack> dependent, TeachTrack primary, Context<TeachTrack> context) {
        return dependent.getSecondaryResource(primary, context).map(WorkloadReadiness::allReady).orElse(false);
    }
}
