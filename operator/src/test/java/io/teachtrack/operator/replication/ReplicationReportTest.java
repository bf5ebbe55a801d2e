package io.teachtrack.operator.replication;

import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

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

    private static ReplicationPlan plan(List<ReplicaStatus> replicas) {
        return new ReplicationPlan("school-mysql-0", List.of(), Map.of(), replicas, "False", "ReplicationLagging", "r-1 is 30 s behind",
                true);
    }

    @Test
    void onlyReplicasRunningWithinTheLagLimitCountAsReady() {
        ReplicationReport report = JdbcReplicationStep.report(plan(List.of(replica("r-0", "Running", 0L), replica("r-1", "Running", 30L),
                replica("r-2", "Stopped", null))), List.of(), 2);
        assertThat(report.readyReplicas()).isEqualTo(1);
        assertThat(report.maxLagSeconds()).isEqualTo(30L);
        assertThat(report.reason()).isEqualTo("ReplicationLagging");
        assertThat(report.primaryPod()).isEqualTo("school-mysql-0");
        assertThat(report.appDatabaseReady()).isTrue();
    }

    @Test
    void aFailedStatementIsReportedWithThePlan() {
        ReplicationReport report = JdbcReplicationStep.report(plan(List.of(replica("r-0", "Running", 0L))),
                List.of("school-mysql-1: StartReplication failed: Access denied"), 2);
        assertThat(report.status()).isEqualTo("False");
        assertThat(report.reason()).isEqualTo("ReplicationActionFailed");
        assertThat(report.message()).contains("school-mysql-1: StartReplication failed");
    }

    @Test
    void aPrimaryThatTakesNoWritesIsAProblemOfTheDatabase() {
        ReplicationPlan behind = new ReplicationPlan("school-mysql-0", List.of(), Map.of(), List.of(), "False", "PrimaryBehindReplicas",
                "lacks transactions", false);
        assertThat(JdbcReplicationStep.report(behind, List.of(), 2).primaryProblem()).isTrue();
        assertThat(JdbcReplicationStep.report(plan(List.of()), List.of(), 2).primaryProblem()).isFalse();
    }
}
