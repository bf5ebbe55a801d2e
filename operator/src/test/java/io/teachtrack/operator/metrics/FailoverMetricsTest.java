package io.teachtrack.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.teachtrack.operator.replication.ReplicationPlan;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FailoverMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FailoverMetrics metrics = new FailoverMetrics(registry);

    @Test
    void aTeachTrackHasItsCountersAtZeroBeforeItsFirstFailoverOrSwitchover() {
        metrics.register("edu", "school");

        assertThat(registry.find("teachtrack.failovers").tags("namespace", "edu", "name", "school").counter().count()).isZero();
        assertThat(registry.find("teachtrack.switchovers").tags("namespace", "edu", "name", "school").counters())
                .extracting(counter -> counter.getId().getTag("result"))
                .as("every way a switchover ends").containsExactlyInAnyOrder(ReplicationPlan.Switchover.COMPLETED, ReplicationPlan.Switchover.FAILED);

        metrics.failedOver("edu", "school");
        metrics.switchedOver("edu", "school", ReplicationPlan.Switchover.COMPLETED);
        metrics.register("edu", "school");

        assertThat(registry.find("teachtrack.failovers").tags("name", "school").counter().count()).isEqualTo(1);
        assertThat(registry.find("teachtrack.switchovers").tags("result", ReplicationPlan.Switchover.COMPLETED).counter().count()).isEqualTo(1);
    }

    @Test
    void theCountersOfATeachTrackThatIsGoneAreRemoved() {
        metrics.register("edu", "school");
        metrics.register("lab", "other");

        metrics.retainOnly(List.of("lab/other"));

        assertThat(registry.find("teachtrack.failovers").counters()).extracting(Counter::getId)
                .allSatisfy(id -> assertThat(id.getTag("namespace")).isEqualTo("lab"));
        assertThat(registry.find("teachtrack.switchovers").counters()).hasSize(2)
                .allSatisfy(counter -> assertThat(counter.getId().getTag("name")).isEqualTo("other"));
    }
}
