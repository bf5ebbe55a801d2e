package io.teachtrack.operator.dependent.database;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.NameSetter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.replication.ReplicationReport;
import io.teachtrack.operator.replication.ReplicationStep;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * The replication step as a node of the workflow: it runs once the primary is ready, and the API and workers
 * wait for its report to say the app database is usable. The report is kept in the reconciliation's context
 * for the status aggregator.
 */
public class DatabaseBootstrapDependent implements DependentResource<ReplicationReport, TeachTrack>, NameSetter {

    private String name = DependentResource.defaultNameFor(DatabaseBootstrapDependent.class);

    @Inject
    ReplicationStep replication;

    @Override
    public ReconcileResult<ReplicationReport> reconcile(TeachTrack primary, Context<TeachTrack> context) {
        ReplicationReport report = replication.reconcile(primary, context);
        context.managedWorkflowAndDependentResourceContext().put(ReplicationReport.class, report);
        return ReconcileResult.noOperation(report);
    }

    /** The workflow refers to this step by the name its @Dependent declares. */
    @Override
    public String name() {
        return name;
    }

    @Override
    public void setName(String name) {
        this.name = name;
    }

    @Override
    public Class<ReplicationReport> resourceType() {
        return ReplicationReport.class;
    }

    @Override
    public Optional<ReplicationReport> getSecondaryResource(TeachTrack primary, Context<TeachTrack> context) {
        return context.managedWorkflowAndDependentResourceContext().get(ReplicationReport.class, ReplicationReport.class);
    }
}
