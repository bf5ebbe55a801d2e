package io.teachtrack.operator.mysql;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.quarkus.arc.DefaultBean;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import jakarta.enterprise.context.ApplicationScoped;

/** Placeholder until the replication issue provides the JDBC implementation; reports ReplicationReady Unknown. */
@ApplicationScoped
@DefaultBean
public class NotImplementedReplicationStep implements ReplicationStep {

    @Override
    public ReplicationReport reconcile(TeachTrack teachTrack, Context<TeachTrack> context) {
        return ReplicationReport.notImplemented();
    }
}
