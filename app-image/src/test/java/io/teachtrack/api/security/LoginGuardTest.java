package io.teachtrack.api.security;

import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.teachtrack.api.metrics.AppMetrics;
import io.teachtrack.api.web.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The login budget on a clock the test moves: every outcome follows from the counts, never from timing. */
class LoginGuardTest {

    private final AtomicLong now = new AtomicLong();
    private final TimeMeter clock = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return now.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };
    private final LoginGuard guard = new LoginGuard(3, Duration.ofSeconds(30), 5, clock, new AppMetrics(new SimpleMeterRegistry()));

    @Test
    void aNameThatFailedTooOftenWaitsWhateverItsAddressAndOthersDoNot() {
        for (int i = 0; i < 3; i++) {
            guard.admit("alice");
            guard.failed("alice");
        }
        ApiException refused = catchThrowableOfType(ApiException.class, () -> guard.admit("Alice"));
        assertThat(refused.status()).as("the right password waits too; names are not case-sensitive").isEqualTo(429);
        assertThat(refused.retryAfterSeconds()).isEqualTo(30);
        assertThatCode(() -> guard.admit("bob")).doesNotThrowAnyException();

        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThatCode(() -> guard.admit("alice")).as("one more try every 30 s").doesNotThrowAnyException();
        guard.failed("alice");
        assertThat(catchThrowableOfType(ApiException.class, () -> guard.admit("alice")).status()).isEqualTo(429);
    }

    @Test
    void thePodHashesNoMorePasswordsPerSecondThanItsBudget() {
        assertThat(admitted("someone-", 100)).as("a burst of 100 within one instant").isEqualTo(5);
        now.addAndGet(Duration.ofMillis(400).toNanos());
        assertThat(admitted("again-", 10)).as("0.4 s later: 5 per second refill 2").isEqualTo(2);
    }

    /** Logins of {@code count} distinct names at the current instant: how many were admitted; each refusal a 429. */
    private int admitted(String prefix, int count) {
        int admitted = 0;
        for (int i = 0; i < count; i++) {
            try {
                guard.admit(prefix + i);
                admitted++;
            } catch (ApiException e) {
                assertThat(e.status()).isEqualTo(429);
                assertThat(e.retryAfterSeconds()).isEqualTo(1);
            }
        }
        return admitted;
    }
}
