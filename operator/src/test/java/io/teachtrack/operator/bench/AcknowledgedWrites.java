package io.teachtrack.operator.bench;

import io.teachtrack.operator.testing.PlatformApi;
import io.teachtrack.operator.testing.RepeatingTask;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A steady writer through the API's Service, as a school's clients write: one subject after another, each a new
 * row. A write is acknowledged once the API answered 201 with its id; every other answer is counted by status
 * ({@link #NO_ANSWER} when the request failed or had no answer within the client's timeout, which is longer than any
 * timeout of the API's own).
 */
final class AcknowledgedWrites implements AutoCloseable {

    static final int NO_ANSWER = -1;
    private static final Duration AFTER_REFUSAL = Duration.ofMillis(100);
    /** At most 50 writes a second: steady, and well inside the API's rate limit of 100 requests a second per user. */
    private static final Duration PACE = Duration.ofMillis(20);

    /** One acknowledged write: the row's id and when its 201 arrived. */
    record Ack(long id, long atNanos) {
    }

    private final Supplier<PlatformApi> login;
    private final String codePrefix;
    private final List<Ack> acks = new ArrayList<>();
    private final Map<Integer, LongAdder> refusals = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final RepeatingTask task;
    private PlatformApi api;

    private AcknowledgedWrites(Supplier<PlatformApi> login, String codePrefix) {
        this.login = login;
        this.codePrefix = codePrefix;
        this.task = RepeatingTask.start("writer-" + codePrefix, this::writeOne);
    }

    /** Starts writing subjects whose codes begin with {@code codePrefix}; {@code login} gives a logged-in client. */
    static AcknowledgedWrites start(Supplier<PlatformApi> login, String codePrefix) {
        return new AcknowledgedWrites(login, codePrefix);
    }

    String codePrefix() {
        return codePrefix;
    }

    @Override
    public void close() {
        task.close();
    }

    List<Ack> acks() {
        synchronized (acks) {
            return List.copyOf(acks);
        }
    }

    /** The id of the newest acknowledged write, or 0 before the first. */
    long newestAcknowledgedId() {
        synchronized (acks) {
            return acks.isEmpty() ? 0 : acks.getLast().id();
        }
    }

    /** When the first write after {@code nanos} was acknowledged (writes back after a fault), or now if none was. */
    long firstAcknowledgedAfter(long nanos) {
        return acks().stream().mapToLong(Ack::atNanos).filter(at -> at > nanos).min().orElse(System.nanoTime());
    }

    long acknowledgedAfter(long nanos) {
        return acks().stream().filter(ack -> ack.atNanos() > nanos).count();
    }

    /** Answers other than 201, by status. */
    Map<Integer, Long> refusals() {
        Map<Integer, Long> counts = new TreeMap<>();
        refusals.forEach((status, count) -> counts.put(status, count.sum()));
        return counts;
    }

    /**
     * The longest time without an acknowledged write from the last acknowledgement before {@code faultNanos} to the
     * last one now: how long writes were unavailable around the fault.
     */
    Duration longestGapAround(long faultNanos) {
        List<Ack> all = acks();
        long previous = all.stream().mapToLong(Ack::atNanos).filter(at -> at <= faultNanos).max().orElse(faultNanos);
        long longest = 0;
        for (Ack ack : all) {
            if (ack.atNanos() > previous) {
                longest = Math.max(longest, ack.atNanos() - previous);
                previous = ack.atNanos();
            }
        }
        return Duration.ofNanos(longest);
    }

    /** One write; after anything but a 201 a short pause, so that a refusing API is not flooded. */
    private void writeOne() {
        long started = System.nanoTime();
        try {
            if (api == null) {
                api = login.get();
            }
            long n = sequence.incrementAndGet();
            PlatformApi.Response response = api.post("/api/v1/subjects", Map.of("code", codePrefix + "-" + n, "name", "Written under a fault " + n));
            if (response.status() == 201) {
                synchronized (acks) {
                    acks.add(new Ack(response.body().get("id").asLong(), System.nanoTime()));
                }
                RepeatingTask.pause(Duration.ofNanos(Math.max(0, started + PACE.toNanos() - System.nanoTime())));
                return;
            }
            refusals.computeIfAbsent(response.status(), status -> new LongAdder()).increment();
            if (response.status() == 401) {
                api = null;
            }
        } catch (RuntimeException e) {
            // No answer within the client's timeout, no connection, or a refused login: not acknowledged.
            refusals.computeIfAbsent(NO_ANSWER, status -> new LongAdder()).increment();
        }
        RepeatingTask.pause(AFTER_REFUSAL);
    }

}
