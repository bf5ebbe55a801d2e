package io.teachtrack.operator.replication;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

/**
 * The workflow step between "MySQL primary ready" and "API and workers": bootstraps the app database, the
 * users and GTID replication over JDBC, and observes it. Runs on every reconcile, so it must be idempotent.
 */
public interface ReplicationStep {

    ReplicationReport reconcile(TeachTrack teachTrack, Context<TeachTrack> context);
}
