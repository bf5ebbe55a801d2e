package io.teachtrack.operator.status;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.teachtrack.operator.replication.ReplicationReport;

/**
 * What one reconciliation saw of the children (null where a child does not exist yet), what the replication
 * step reported (null when it did not run), and the error that stopped the reconciliation, if any.
 */
public record Observation(StatefulSet mysql, Deployment redis, Deployment api,
                          Deployment worker, ReplicationReport replication, String reconcileError) {
}
