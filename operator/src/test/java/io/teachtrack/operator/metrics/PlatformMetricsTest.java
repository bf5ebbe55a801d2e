package io.teachtrack.operator.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.teachtrack.operator.api.v1alpha1.MysqlStatus;
import io.teachtrack.operator.api.v1alpha1.Phase;
import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.api.v1alpha1.SemiSyncStatus;
import io.teachtrack.operator.api.v1alpha1.TeachTrackStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-TeachTrack gauges, in a real Micrometer registry, from statuses the operator publishes. */
class PlatformMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PlatformMetrics metrics = new PlatformMetrics(registry);

    @Test
    void aStatusBecomesPhaseRoleStateLagAndSemiSyncSeries() {
        metrics.observed("edu", "school", status(Phase.Degraded), Instant.ofEpochSecond(1_700_000_000));

        assertThat(values("teachtrack.platform.phase")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "edu/school/Provisioning", 0.0, "edu/school/Ready", 0.0, "edu/school/Degraded", 1.0, "edu/school/Failed", 0.0));
        assertThat(values("teachtrack.mysql.instance.role")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "edu/school/school-mysql-0/primary", 1.0, "edu/school/school-mysql-1/replica", 1.0,
                "edu/school/school-mysql-2/none", 1.0));
        assertThat(values("teachtrack.mysql.replica.state")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "edu/school/school-mysql-1/Running", 1.0, "edu/school/school-mysql-2/Unreachable", 1.0));
        assertThat(values("teachtrack.mysql.replica.lag.seconds"))
                .as("a replica out of reach has no lag sample, not a -1 that reads as a measurement")
                .containsExactlyInAnyOrderEntriesOf(Map.of("edu/school/school-mysql-1", 3.0));
        assertThat(values("teachtrack.mysql.semisync.active")).containsExactlyEntriesOf(Map.of("edu/school", 1.0));
        assertThat(values("teachtrack.mysql.semisync.connected.replicas")).containsExactlyEntriesOf(Map.of("edu/school", 1.0));
        assertThat(values("teachtrack.platform.last.successful.reconcile.timestamp.seconds"))
                .containsExactlyEntriesOf(Map.of("edu/school", 1_700_000_000.0));
    }

    @Test
    void aFailedReconcileKeepsTheLastSuccessAndUpdatesTheRest() {
        metrics.observed("edu", "school", status(Phase.Ready), Instant.ofEpochSecond(1_700_000_000));
        metrics.observed("edu", "school", status(Phase.Failed), null);

        assertThat(values("teachtrack.platform.last.successful.reconcile.timestamp.seconds"))
                .containsExactlyEntriesOf(Map.of("edu/school", 1_700_000_000.0));
        assertThat(values("teachtrack.platform.phase")).containsEntry("edu/school/Failed", 1.0).containsEntry("edu/school/Ready", 0.0);
    }

    @Test
    void aTeachTrackThatIsGoneLosesItsSeries() {
        metrics.observed("edu", "school", status(Phase.Ready), Instant.ofEpochSecond(1));
        metrics.observed("lab", "other", status(Phase.Ready), Instant.ofEpochSecond(2));

        metrics.retainOnly(List.of("lab/other"));

        assertThat(values("teachtrack.platform.phase").keySet()).allMatch(series -> series.startsWith("lab/other/"));
        assertThat(values("teachtrack.mysql.replica.lag.seconds")).containsOnlyKeys("lab/other/school-mysql-1");
    }

    private static TeachTrackStatus status(Phase phase) {
        ReplicaStatus serving = new ReplicaStatus();
        serving.setName("school-mysql-1");
        serving.setRole("replica");
        serving.setState("Running");
        serving.setLagSeconds(3L);
        ReplicaStatus unreachable = new ReplicaStatus();
        unreachable.setName("school-mysql-2");
        unreachable.setState("Unreachable");
        MysqlStatus mysql = new MysqlStatus();
        mysql.setPrimary("school-mysql-0");
        mysql.setReplicas(List.of(serving, unreachable));
        mysql.setSemiSync(new SemiSyncStatus(true, true, 1, 1));
        TeachTrackStatus status = new TeachTrackStatus();
        status.setPhase(phase);
        status.setMysql(mysql);
        return status;
    }

    /** Each series of a meter, named by its tag values (namespace, name, then the rest in tag order), to its value. */
    private Map<String, Double> values(String meter) {
        Map<String, Double> values = new TreeMap<>();
        for (Meter m : registry.find(meter).meters()) {
            String namespace = m.getId().getTag("namespace");
            String name = m.getId().getTag("name");
            StringBuilder key = new StringBuilder(namespace + "/" + name);
            m.getId().getTags().stream().filter(t -> !t.getKey().equals("namespace") && !t.getKey().equals("name"))
                    .sorted((a, b) -> order(a.getKey()) - order(b.getKey()))
                    .forEach(t -> key.append('/').append(t.getValue()));
            values.put(key.toString(), m.measure().iterator().next().getValue());
        }
        return values;
    }

    private static int order(String tag) {
        return List.of("pod", "phase", "role", "state").indexOf(tag);
    }
}
