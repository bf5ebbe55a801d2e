package io.teachtrack.operator.reconciler.conditions;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.replication.ReplicationReport;

/** The API and workers start only once the app database and user exist. */
public class AppDatabaseReady implements Condition<ReplicationReport, TeachTrack> {

    @Override
    public boolean isMet(DependentResource<ReplicationReport, TeachTrack> dependent, TeachTrack primary, Context<TeachTrack> context) {
        return dependent.getSecondaryResource(primary, context).map(ReplicationReport::appDatabaseReady).orElse(false);
    }
}
