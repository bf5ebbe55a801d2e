package io.teachtrack.operator.replication;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.config.OperatorSettings.AddressMode;
import io.teachtrack.operator.model.TeachTracks;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** No connection is attempted to a MySQL pod that does not run: it would wait out its timeout on a reconcile thread. */
class ServerAddressTest {

    private final TeachTrack tt = TeachTracks.school();

    @Test
    void aRunningPodIsReachedByNameOrAddress() {
        Pod running = pod("Running", false);
        assertThat(JdbcReplicationStep.host(AddressMode.DNS, tt, "school-mysql-1", running)).isEqualTo("school-mysql-1.school-mysql.edu.svc");
        assertThat(JdbcReplicationStep.host(AddressMode.POD_IP, tt, "school-mysql-1", running)).isEqualTo("10.244.0.7");
    }

    @Test
    void aPodThatIsMissingOrNotRunningIsNotConnectedTo() {
        for (AddressMode mode : AddressMode.values()) {
            assertThat(JdbcReplicationStep.host(mode, tt, "school-mysql-1", null)).as(mode + ", no pod").isNull();
            assertThat(JdbcReplicationStep.host(mode, tt, "school-mysql-1", pod("Pending", false))).as(mode + ", pending").isNull();
            assertThat(JdbcReplicationStep.host(mode, tt, "school-mysql-1", pod("Failed", false))).as(mode + ", failed").isNull();
        }
    }

    @Test
    void aTerminatingPodIsStillReachedByNameWhileItAnswers() {
        Pod terminating = pod("Running", true);
        assertThat(JdbcReplicationStep.host(AddressMode.DNS, tt, "school-mysql-1", terminating)).isNotNull();
        assertThat(JdbcReplicationStep.host(AddressMode.POD_IP, tt, "school-mysql-1", terminating)).isNull();
    }

    private static Pod pod(String phase, boolean terminating) {
        return new PodBuilder().withNewMetadata().withName("school-mysql-1")
                .withDeletionTimestamp(terminating ? "2026-12-03T10:00:00Z" : null).endMetadata()
                .withNewStatus().withPhase(phase).withPodIP("10.244.0.7").endStatus()
                .build();
    }
}
