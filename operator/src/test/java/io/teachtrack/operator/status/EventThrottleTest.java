package io.teachtrack.operator.status;

import io.teachtrack.operator.status.TransitionEvents.EventSpec;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class EventThrottleTest {

    private static final EventSpec DEGRADED = new EventSpec("Warning", "Degraded", "ReplicationLagging: school-mysql-1 is 3 s behind");
    private static final EventSpec RECOVERED = new EventSpec("Normal", "Recovered", "Every component is ready again");
    private static final Instant T0 = Instant.parse("2026-12-03T09:00:00Z");

    private final EventThrottle throttle = new EventThrottle();

    @Test
    void aPlatformFlippingEveryFewSecondsGetsOneEventPerTransitionPerMinute() {
        int degraded = 0;
        int recovered = 0;
        for (int second = 0; second < 180; second += 5) {
            EventSpec flip = (second / 5) % 2 == 0 ? DEGRADED : RECOVERED;
            if (throttle.admit("uid-1", flip, T0.plusSeconds(second))) {
                if (flip == DEGRADED) {
                    degraded++;
                } else {
                    recovered++;
                }
            }
        }
        assertThat(degraded).as("Degraded events in 3 minutes of flips every 5 s").isEqualTo(3);
        assertThat(recovered).isEqualTo(3);
    }

    @Test
    void eachTeachTrackHasItsOwnWindowAndAMinuteLaterTheEventIsRecordedAgain() {
        assertThat(throttle.admit("uid-1", DEGRADED, T0)).isTrue();
        assertThat(throttle.admit("uid-2", DEGRADED, T0)).as("another TeachTrack").isTrue();
        assertThat(throttle.admit("uid-1", DEGRADED, T0.plusSeconds(59))).isFalse();
        assertThat(throttle.admit("uid-1", DEGRADED, T0.plus(EventThrottle.WINDOW))).isTrue();
    }

    @Test
    void theOperatorsOwnDecisionsAreNeverThrottled() {
        EventSpec failover = new EventSpec("Warning", "FailedOver", "Promoted school-mysql-1 in place of school-mysql-0");
        assertThat(throttle.admit("uid-1", failover, T0)).isTrue();
        assertThat(throttle.admit("uid-1", failover, T0.plusSeconds(1))).isTrue();
        assertThat(throttle.admit("uid-1", new EventSpec("Normal", "SwitchedOver", "to school-mysql-2"), T0.plusSeconds(2))).isTrue();
    }
}
