package io.teachtrack.operator.testing;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import java.time.Duration;

/**
 * How the cluster tests wait: a condition on a real cluster passes through moments where an object is missing or a
 * connection is refused, so exceptions count as "not yet", polled every second. Given per wait, never as Awaitility's
 * global defaults: other test classes run beside the cluster tests.
 */
public final class ClusterWaits {

    /**
     * The lock of the tests that run pods on the node: they take turns (the node's two cores and its memory fit one
     * platform test at a time), while tests of the API server, the images and the databases run beside them.
     */
    public static final String NODE = "teachtrack-node";

    private ClusterWaits() {
    }

    public static ConditionFactory await() {
        return Awaitility.await().ignoreExceptions().pollInterval(Duration.ofSeconds(1));
    }
}
