package io.teachtrack.api.db;

import java.time.Duration;
import java.util.List;

/**
 * Which replica may serve a read, decided from each replica's own last observation: a replica serves only if it
 * answers, is within the lag budget, and has applied a heartbeat newer than anything the read must include. Never
 * inferred from another replica: two replicas behind one Service may be far apart. Pure, so it is tested without servers.
 */
final class ReplicaChoice {

    /** Covers clock differences between pods when comparing a write's time with a heartbeat's. */
    static final long CLOCK_MARGIN_MILLIS = 50;

    /** One replica as the router sees it. */
    record Candidate<T>(T replica, Replica.Observation observation) {
    }

    /**
     * The chosen replica, or none and the reason the read goes to the primary. {@code catchUp}: the reader's last write
     * is unknown, so the replica serves only once it has applied the primary's current position.
     */
    record Choice<T>(T replica, String primaryReason, boolean catchUp) {
        static <T> Choice<T> primary(String reason) {
            return new Choice<>(null, reason, false);
        }
    }

    private ReplicaChoice() {
    }

    /**
     * @param notBefore   a time (epoch ms) whose writes the read must include, or 0
     * @param lastWrite   the reader's last write, asked only when a replica is otherwise usable
     * @param rotation    spreads reads over the usable replicas
     */
    static <T> Choice<T> choose(List<Candidate<T>> candidates, Duration maxLag, long notBefore, LastWriteLookup lastWrite, int rotation) {
        if (candidates.isEmpty()) {
            return Choice.primary("replica-down");
        }
        List<Candidate<T>> usable = candidates.stream().filter(c -> c.observation().reachable()).toList();
        if (usable.isEmpty()) {
            return Choice.primary("replica-down");
        }
        usable = usable.stream().filter(c -> c.observation().lag().compareTo(maxLag) <= 0).toList();
        if (usable.isEmpty()) {
            return Choice.primary("replica-lag");
        }
        if (notBefore > 0) {
            usable = applied(usable, notBefore);
            if (usable.isEmpty()) {
                return Choice.primary("recent-write");
            }
        }
        boolean catchUp = false;
        ReadYourWrites.LastWrite last = lastWrite.get();
        switch (last) {
            case ReadYourWrites.LastWrite.None none -> { }
            case ReadYourWrites.LastWrite.At at -> usable = applied(usable, at.writtenAt());
            case ReadYourWrites.LastWrite.Unknown unknown -> catchUp = true;
        }
        if (usable.isEmpty()) {
            return Choice.primary("read-your-writes");
        }
        return new Choice<>(usable.get(Math.floorMod(rotation, usable.size())).replica(), null, catchUp);
    }

    private static <T> List<Candidate<T>> applied(List<Candidate<T>> candidates, long writtenAt) {
        return candidates.stream().filter(c -> c.observation().appliedMark() >= writtenAt + CLOCK_MARGIN_MILLIS).toList();
    }

    /** The reader's last write, looked up lazily (it costs a Redis call). */
    @FunctionalInterface
    interface LastWriteLookup {
        ReadYourWrites.LastWrite get();

        LastWriteLookup NONE = ReadYourWrites.LastWrite.None::new;
    }
}
