package io.teachtrack.operator.replication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long each primary has been unreachable, as this operator process saw it. Kept in memory on purpose: an operator
 * that just started (or just became leader) has not watched the primary itself, so it waits the full time again
 * before promoting, rather than trusting a record it did not make.
 */
final class PrimaryLoss {

    private final Clock clock;
    private final Map<String, Instant> since = new ConcurrentHashMap<>();

    PrimaryLoss(Clock clock) {
        this.clock = clock;
    }

    /** Records this pass's finding about {@code primary}; answers how long it has been lost (zero when it answers). */
    Duration lostFor(String primary, boolean lost) {
        if (!lost) {
            since.remove(primary);
            return Duration.ZERO;
        }
        return Duration.between(since.computeIfAbsent(primary, p -> clock.instant()), clock.instant());
    }
}
