package io.teachtrack.operator.status;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.teachtrack.operator.replication.ReplicationReport;

/**
 * What one reconciliation saw of the children (null where a child does not exist yet), what the replication
 * step reported (null when it did not run), the error that stopped the reconciliation, if any, and why the MySQL
 * volumes could not grow, if they could not.
 */
public record Observation(StatefulSet mysql, Deployment redis, Deployment api,
                          Deployment worker, ReplicationReport replication, String reconcileError, String volumeResizeRefused) {

    public Observation(StatefulSet mysql, Deployment redis, Deployment api, Deployment worker, ReplicationReport replication,
                       String reconcileError) {
        this(mysql, redis, api, worker, replication, reconcileError, null);
    }
}
