package io.teachtrack.operator.replication;

import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.mysql.SemiSync;
import io.teachtrack.operator.replication.RolloutDecision.Member;
import io.teachtrack.operator.replication.RolloutDecision.Step;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Primary-last rolling updates, decided from the pods' revisions and one replication plan. */
class RolloutDecisionTest {

    private static final String NEW = "school-mysql-7d9f";
    private static final String OLD = "school-mysql-5b6c";

    private static ReplicationPlan healthy(String primary, String... replicas) {
        List<ReplicaStatus> statuses = Arrays.stream(replicas).map(name -> {
            ReplicaStatus status = new ReplicaStatus();
            status.setName(name);
            status.setState(ReplicaStates.RUNNING);
            status.setLagSeconds(0L);
            return status;
        }).toList();
        return new ReplicationPlan(primary, List.of(), Map.of(), statuses, "True", replicas.length == 0 ? "NoReplicas" : "ReplicationRunning",
                "healthy", true, SemiSync.OFF, null, false);
    }

    private static Member pod(int ordinal, String revision) {
        return new Member("school-mysql-" + ordinal, ordinal, revision, true);
    }

    @Test
    void nothingToDoWhenEveryPodRunsTheUpdateRevision() {
        assertThat(RolloutDecision.decide(NEW, List.of(pod(0, NEW), pod(1, NEW)), 2, healthy("school-mysql-0", "school-mysql-1")))
                .isInstanceOf(Step.UpToDate.class);
    }

    @Test
    void replicasGoFirstHighestOrdinalFirstOneAtATime() {
        ReplicationPlan plan = healthy("school-mysql-0", "school-mysql-1", "school-mysql-2");
        assertThat(RolloutDecision.decide(NEW, List.of(pod(0, OLD), pod(1, OLD), pod(2, OLD)), 3, plan))
                .isEqualTo(new Step.Evict("school-mysql-2", "0/3 MySQL pods updated; replica school-mysql-2 next"));
        assertThat(RolloutDecision.decide(NEW, List.of(pod(0, OLD), pod(1, OLD)), 3, plan)).as("the evicted pod is not back yet")
                .isInstanceOf(Step.Wait.class);
        assertThat(RolloutDecision.decide(NEW, List.of(pod(0, OLD), pod(1, OLD), new Member("school-mysql-2", 2, NEW, false)), 3, plan))
                .as("back but not ready").isInstanceOf(Step.Wait.class);
        assertThat(RolloutDecision.decide(NEW, List.of(pod(0, OLD), pod(1, OLD), pod(2, NEW)), 3, plan))
                .isEqualTo(new Step.Evict("school-mysql-1", "1/3 MySQL pods updated; replica school-mysql-1 next"));
    }

    @Test
    void nothingMovesWhileReplicationIsUnhealthy() {
        ReplicationPlan lagging = new ReplicationPlan("school-mysql-0", List.of(), Map.of(), List.of(), "False", "ReplicationLagging",
                "school-mysql-2 is 9 s behind", true, SemiSync.OFF, null, false);
        assertThat(RolloutDecision.decide(NEW, List.of(pod(0, OLD), pod(1, OLD), pod(2, NEW)), 3, lagging))
                .isEqualTo(new Step.Wait("1/3 MySQL pods updated; waiting for healthy replication (ReplicationLagging)"));
    }

    @Test
    void thePrimaryGoesLastAfterASwitchoverToAnUpdatedReplica() {
        ReplicationPlan plan = healthy("school-mysql-0", "school-mysql-1", "school-mysql-2");
        assertThat(RolloutDecision.decide(NEW, List.of(pod(0, OLD), pod(1, NEW), pod(2, NEW)), 3, plan))
                .isEqualTo(new Step.SwitchoverTo("school-mysql-1"));
        // After the switchover the old primary is a replica like the others.
        assertThat(RolloutDecision.decide(NEW, List.of(pod(0, OLD), pod(1, NEW), pod(2, NEW)), 3,
                healthy("school-mysql-1", "school-mysql-0", "school-mysql-2"))).isInstanceOf(Step.Evict.class)
                .extracting(step -> ((Step.Evict) step).pod()).isEqualTo("school-mysql-0");
    }

    @Test
    void withoutReplicasThePrimaryRestartsInPlace() {
        assertThat(RolloutDecision.decide(NEW, List.of(pod(0, OLD)), 1, healthy("school-mysql-0")))
                .isInstanceOf(Step.Evict.class).extracting(step -> ((Step.Evict) step).why()).asString().contains("writes pause");
    }
}
