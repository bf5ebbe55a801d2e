package io.teachtrack.operator.testing;

/**
 * A control plane with kwok's fake nodes ({@code operator/scripts/kwok-cluster.sh}): pods are scheduled and marked
 * Running but nothing runs, so thousands of children cost nothing. For the operator's scale benchmark, and for the
 * tests still driven by the pod supervisor until they move to the real node.
 */
public final class KwokCluster {

    public static final ClusterAccess CLUSTER =
            new ClusterAccess("kwok-cluster.sh", "kwok/clusters/" + ClusterAccess.clusterName() + "/logs/audit.log");

    private KwokCluster() {
    }
}
