package io.teachtrack.operator.mysql;

import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.model.TeachTracks;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** ReplicationReady from the replicas' states: True only when every replica runs within the lag limit. */
class ReplicationSummaryTest {

    private final TeachTrack tt = TeachTracks.school();

    @Test
    void allRunningWithinTheLagLimitIsReady() {
        ReplicationReport report = JdbcReplicationStep.summarize(tt, List.of(replica("r-0", "Running", 0L), replica("r-1", "Running", 2L)));
        assertThat(report.status()).isEqualTo("True");
        assertThat(report.reason()).isEqualTo("ReplicationRunning");
        assertThat(report.readyReplicas()).isEqualTo(2);
        assertThat(report.maxLagSeconds()).isEqualTo(2L);
        assertThat(report.appDatabaseReady()).isTrue();
    }

    @Test
    void aLaggingReplicaIsNotReadyAndNotCounted() {
        ReplicationReport report = JdbcReplicationStep.summarize(tt, List.of(replica("r-0", "Running", 0L), replica("r-1", "Running", 30L)));
        assertThat(report.status()).isEqualTo("False");
        assertThat(report.reason()).isEqualTo("ReplicationLagging");
        assertThat(report.message()).contains("r-1 is 30 s behind (limit 2 s)");
        assertThat(report.readyReplicas()).isEqualTo(1);
        assertThat(report.maxLagSeconds()).isEqualTo(30L);
    }

    @Test
    void eachFailureHasItsOwnReason() {
        assertThat(JdbcReplicationStep.summarize(tt, List.of(replica("r-0", "Stopped", null))).reason()).isEqualTo("ReplicaStopped");
        assertThat(JdbcReplicationStep.summarize(tt, List.of(replica("r-0", "ErrantTransactions", null))).reason()).isEqualTo("ErrantTransactions");
        assertThat(JdbcReplicationStep.summarize(tt, List.of(replica("r-0", "NeedsSeeding", null))).reason()).isEqualTo("NeedsSeeding");
        assertThat(JdbcReplicationStep.summarize(tt, List.of(replica("r-0", "Unreachable", null))).reason()).isEqualTo("ReplicaUnreachable");
        assertThat(JdbcReplicationStep.summarize(tt, List.of(replica("r-0", "Error", null))).reason()).isEqualTo("ReplicaError");
    }

    @Test
    void noReplicasIsReady() {
        ReplicationReport report = JdbcReplicationStep.summarize(tt, List.of());
        assertThat(report.status()).isEqualTo("True");
        assertThat(report.reason()).isEqualTo("NoReplicas");
    }

    private static ReplicaStatus replica(String name, String state, Long lag) {
        ReplicaStatus status = new ReplicaStatus();
        status.setName(name);
        status.setState(state);
        status.setLagSeconds(lag);
        status.setIoRunning("Running".equals(state));
        status.setSqlRunning("Running".equals(state));
        return status;
    }
}
