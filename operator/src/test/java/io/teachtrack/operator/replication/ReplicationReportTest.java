package io.teachtrack.operator.replication;

import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.mysql.SemiSync;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** From a plan to what status shows: ready replicas are those running within the lag limit; failed actions say so. */
class ReplicationReportTest {

    private static ReplicaStatus replica(String name, String state, Long lag) {
        ReplicaStatus status = new ReplicaStatus();
        status.setName(name);
        status.setState(state);
        status.setLagSeconds(lag);
        return status;
    }

    private static final ReplicationExecutor.Outcome NOTHING_FAILED = new ReplicationExecutor.Outcome(List.of(), Set.of());

    private static ReplicationPlan plan(List<ReplicaStatus> replicas) {
        return new ReplicationPlan("school-mysql-0", List.of(), Map.of(), replicas, "False", "ReplicationLagging", "r-1 is 30 s behind",
                true, new SemiSync(true, 1, true, 2), null, false);
    }

    @Test
    void onlyReplicasRunningWithinTheLagLimitCountAsReady() {
        ReplicationReport report = JdbcReplicationStep.report(plan(List.of(replica("r-0", "Running", 0L), replica("r-1", "Running", 30L),
                replica("r-2", "Stopped", null))), NOTHING_FAILED, 2, 1);
        assertThat(report.readyReplicas()).isEqualTo(1);
        assertThat(report.maxLagSeconds()).isEqualTo(30L);
        assertThat(report.reason()).isEqualTo("ReplicationLagging");
        assertThat(report.primaryPod()).isEqualTo("school-mysql-0");
        assertThat(report.appDatabaseReady()).isTrue();
        assertThat(report.semiSync()).satisfies(s -> {
            assertThat(s.getEnabled()).isTrue();
            assertThat(s.getActive()).isTrue();
            assertThat(s.getWaitForReplicas()).isEqualTo(1);
            assertThat(s.getConnectedReplicas()).isEqualTo(2);
        });
    }

    @Test
    void aFailedStatementIsReportedWithThePlan() {
        ReplicationReport report = JdbcReplicationStep.report(plan(List.of(replica("r-0", "Running", 0L))),
                new ReplicationExecutor.Outcome(List.of("school-mysql-1: StartReplication failed: Access denied"), Set.of("school-mysql-1")), 2, 1);
        assertThat(report.status()).isEqualTo("False");
        assertThat(report.reason()).isEqualTo("ReplicationActionFailed");
        assertThat(report.message()).contains("school-mysql-1: StartReplication failed");
    }

    @Test
    void aPrimaryThatTakesNoWritesIsAProblemOfTheDatabase() {
        ReplicationPlan behind = new ReplicationPlan("school-mysql-0", List.of(), Map.of(), List.of(), "False", "PrimaryBehindReplicas",
                "lacks transactions", false, SemiSync.OFF, null, false);
        assertThat(JdbcReplicationStep.report(behind, NOTHING_FAILED, 2, 1).primaryProblem()).isTrue();
        assertThat(JdbcReplicationStep.report(plan(List.of()), NOTHING_FAILED, 2, 1).primaryProblem()).isFalse();
    }

    @Test
    void aPromotionThatFailedKeepsTheLostPrimaryOnRecord() {
        ReplicationPlan failingOver = new ReplicationPlan("school-mysql-1", List.of(), Map.of(), List.of(), "False", "FailingOver", "promoting",
                false, SemiSync.OFF, new ReplicationPlan.Promotion("school-mysql-0", "school-mysql-1", "lost"), true);
        ReplicationReport report = JdbcReplicationStep.report(failingOver,
                new ReplicationExecutor.Outcome(List.of("school-mysql-1: Promote failed: still applying"), Set.of("school-mysql-1")), 2, 1);
        assertThat(report.primaryPod()).isEqualTo("school-mysql-0");
        assertThat(report.reason()).isEqualTo("FailoverFailed");
        assertThat(report.promotion()).isNull();
        assertThat(report.watchClosely()).isTrue();

        ReplicationReport promoted = JdbcReplicationStep.report(failingOver, NOTHING_FAILED, 2, 1);
        assertThat(promoted.primaryPod()).isEqualTo("school-mysql-1");
        assertThat(promoted.promotion().from()).isEqualTo("school-mysql-0");
    }

    @Test
    void aSwitchoverIsCompletedUnlessTheOldPrimarysPartFailed() {
        ReplicationPlan attempted = new ReplicationPlan("school-mysql-2", List.of(), Map.of(), List.of(), "False", "SwitchingOver", "switching",
                true, SemiSync.OFF, null, true, new ReplicationPlan.Switchover("school-mysql-0", "school-mysql-2",
                        ReplicationPlan.Switchover.ATTEMPTED, null));
        ReplicationReport completed = JdbcReplicationStep.report(attempted, NOTHING_FAILED, 2, 1);
        assertThat(completed.primaryPod()).isEqualTo("school-mysql-2");
        assertThat(completed.switchover().result()).isEqualTo(ReplicationPlan.Switchover.COMPLETED);

        ReplicationReport failed = JdbcReplicationStep.report(attempted, new ReplicationExecutor.Outcome(
                List.of("school-mysql-0: Switchover failed: did not apply"), Set.of("school-mysql-0")), 2, 1);
        assertThat(failed.primaryPod()).as("the old primary takes writes again").isEqualTo("school-mysql-0");
        assertThat(failed.reason()).isEqualTo("SwitchoverFailed");
        assertThat(failed.appDatabaseReady()).isTrue();
        assertThat(failed.switchover().result()).isEqualTo(ReplicationPlan.Switchover.FAILED);
        assertThat(failed.switchover().message()).contains("abandoned", "did not apply");
    }
}
