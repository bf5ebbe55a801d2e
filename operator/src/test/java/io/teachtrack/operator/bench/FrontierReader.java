package io.teachtrack.operator.bench;

import io.teachtrack.operator.testing.PlatformApi;
import io.teachtrack.operator.testing.RepeatingTask;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Reads through the API, as fast as clients would poll, the rows at the writer's frontier: the newest acknowledged
 * one and the next ids, those of writes still in flight. Those reads are what could put a row from a write that is
 * never acknowledged (lost by a failover) into the API's cache; {@link FaultedPlatform} then compares what the API
 * answers for every id read around the fault with what the new primary holds.
 */
final class FrontierReader implements AutoCloseable {

    /** The frontier: the newest acknowledged id and the ids of writes possibly in flight after it. */
    private static final int AHEAD = 2;
    /** Three reads every 100 ms: 30 a second, which with the writer's 50 stays inside the API's per-user limit of 100. */
    private static final Duration PACE = Duration.ofMillis(100);

    /** One read: which id, and when. */
    record Read(long id, long atNanos) {
    }

    private final Supplier<PlatformApi> login;
    private final LongSupplier newestAcknowledged;
    private final List<Read> reads = new ArrayList<>();
    private final RepeatingTask task;
    private PlatformApi api;

    private FrontierReader(Supplier<PlatformApi> login, LongSupplier newestAcknowledged, String name) {
        this.login = login;
        this.newestAcknowledged = newestAcknowledged;
        this.task = RepeatingTask.start("frontier-reader-" + name, this::readOnce);
    }

    /** {@code newestAcknowledged} gives the writer's newest acknowledged id, or 0 before the first one. */
    static FrontierReader start(Supplier<PlatformApi> login, LongSupplier newestAcknowledged, String name) {
        return new FrontierReader(login, newestAcknowledged, name);
    }

    @Override
    public void close() {
        task.close();
    }

    /** The ids read between {@code fromNanos} and {@code toNanos}. */
    Set<Long> idsReadBetween(long fromNanos, long toNanos) {
        Set<Long> ids = new TreeSet<>();
        synchronized (reads) {
            reads.stream().filter(r -> r.atNanos() >= fromNanos && r.atNanos() <= toNanos).forEach(r -> ids.add(r.id()));
        }
        return ids;
    }

    private void readOnce() {
        long started = System.nanoTime();
        long newest = newestAcknowledged.getAsLong();
        if (newest > 0) {
            for (long id = newest; id <= newest + AHEAD; id++) {
                read(id);
            }
        }
        RepeatingTask.pause(Duration.ofNanos(Math.max(0, started + PACE.toNanos() - System.nanoTime())));
    }

    private void read(long id) {
        try {
            if (api == null) {
                api = login.get();
            }
            long at = System.nanoTime();
            if (api.get("/api/v1/subjects/" + id).status() == 401) {
                api = null;
            }
            synchronized (reads) {
                reads.add(new Read(id, at));
            }
        } catch (RuntimeException e) {
            // No answer during the fault: nothing was read, nothing cached.
        }
    }

}
