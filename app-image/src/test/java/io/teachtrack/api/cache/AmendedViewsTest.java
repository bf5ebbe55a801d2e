package io.teachtrack.api.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.teachtrack.api.cache.Entries.Entry;
import io.teachtrack.api.cache.ReadThroughCache.Amendment;
import io.teachtrack.api.config.AppConfig;
import io.teachtrack.api.db.Freshness;
import io.teachtrack.api.metrics.AppMetrics;
import io.teachtrack.api.testing.Platform;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Views cached as entries and amended in place by writes, against a real Redis. Each race is forced step by step: a
 * reader held inside its load, a second pod (another cache instance on the same Redis) filling beside it, a writer's
 * amendment prepared before its commit and delivered after it.
 */
@QuarkusTest
@QuarkusTestResource(value = Platform.class, restrictToAnnotatedClass = false)
class AmendedViewsTest {

    @Inject
    ReadThroughCache cache;

    @Inject
    RedisGateway redis;

    @Inject
    ObjectMapper json;

    @Inject
    AppMetrics metrics;

    @Inject
    AppConfig config;

    @Inject
    MeterRegistry registry;

    /** A second API pod: its own load flights, the same Redis. */
    private ReadThroughCache otherPod;
    private CacheKey key;

    @BeforeEach
    void setUp() {
        otherPod = new ReadThroughCache(redis, json, metrics, config);
        key = new CacheKey(CacheScope.of("amended", System.nanoTime()), "entries");
    }

    private static Entries view(String base, Object... triples) {
        Map<String, Entry> entries = new HashMap<>();
        for (int i = 0; i < triples.length; i += 3) {
            entries.put((String) triples[i], new Entry(((Number) triples[i + 1]).longValue(), (String) triples[i + 2]));
        }
        return new Entries(base, entries);
    }

    /** What a write does: reads where the view stands before its commit, amends after it. */
    private void write(ReadThroughCache pod, Map<String, Entry> entries) {
        List<Amendment> amendments = pod.prepare(Map.of(key, entries));
        pod.afterCommit(List.of(), amendments);
    }

    private static Function<Freshness, Entries> never() {
        return freshness -> {
            throw new AssertionError("the view should have been served from Redis");
        };
    }

    /** A reader of this pod held inside its load (which returns {@code loaded}) until released. */
    private final class HeldReader implements AutoCloseable {
        private final CountDownLatch release = new CountDownLatch(1);
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private final Future<Entries> read;

        HeldReader(Entries loaded) throws InterruptedException {
            CountDownLatch loading = new CountDownLatch(1);
            read = thread.submit(() -> cache.entries(key, freshness -> {
                loading.countDown();
                waitFor(release);
                return loaded;
            }));
            assertThat(loading.await(1, TimeUnit.MINUTES)).as("the reader missed and began its load").isTrue();
        }

        /** Lets the load end and fill; what it loaded, the reader may return once. */
        Entries release() throws Exception {
            release.countDown();
            return read.get(1, TimeUnit.MINUTES);
        }

        @Override
        public void close() {
            release.countDown();
            thread.shutdownNow();
        }
    }

    @Test
    void aWriteAmendsACachedViewInPlace() {
        AtomicInteger loads = new AtomicInteger();
        assertThat(cache.entries(key, freshness -> {
            loads.incrementAndGet();
            return view("base", "alice", 1, "PRESENT", "bob", 1, "ABSENT");
        })).isEqualTo(view("base", "alice", 1, "PRESENT", "bob", 1, "ABSENT"));

        write(cache, Map.of("alice", new Entry(2, "LATE"), "carol", new Entry(1, "EXCUSED")));

        assertThat(cache.entries(key, never())).as("amended, not dropped: no load")
                .isEqualTo(view("base", "alice", 2, "LATE", "bob", 1, "ABSENT", "carol", 1, "EXCUSED"));
        assertThat(otherPod.entries(key, never())).as("every pod reads the amended view").isEqualTo(cache.entries(key, never()));
        assertThat(loads).hasValue(1);
    }

    @Test
    void amendmentsArrivingOutOfOrderOrTwiceEndAtTheNewestRow() {
        cache.entries(key, freshness -> view("", "alice", 1, "PRESENT"));
        List<Amendment> second = cache.prepare(Map.of(key, Map.of("alice", new Entry(3, "ABSENT"))));
        List<Amendment> first = cache.prepare(Map.of(key, Map.of("alice", new Entry(2, "LATE"))));
        cache.afterCommit(List.of(), second);
        cache.afterCommit(List.of(), first);
        cache.afterCommit(List.of(), second);
        assertThat(cache.entries(key, never())).isEqualTo(view("", "alice", 3, "ABSENT"));
    }

    /**
     * A reader loads before the write commits and fills after another pod filled the view and the writer amended it:
     * the amendment made its fill void, so its older rows cannot replace the amended ones.
     */
    @Test
    void aLoadFromBeforeTheCommitCannotUndoAnAmendment() throws Exception {
        Entries before = view("", "alice", 1, "PRESENT", "bob", 1, "ABSENT");
        try (HeldReader slow = new HeldReader(before)) {
            otherPod.entries(key, freshness -> before);
            write(otherPod, Map.of("alice", new Entry(2, "LATE")));
            assertThat(slow.release()).as("what it loaded, it may return once").isEqualTo(before);
        }
        assertThat(cache.entries(key, never())).isEqualTo(view("", "alice", 2, "LATE", "bob", 1, "ABSENT"));
    }

    /**
     * No view cached when the write commits: there is nothing to amend, and a reader that loaded before the commit
     * must not fill a live view without the write. The scope moves on, and the next load must include the write.
     */
    @Test
    void aWriteWithNothingToAmendMovesTheScopeOnSoAnOlderLoadFillsNothing() throws Exception {
        try (HeldReader slow = new HeldReader(view("", "alice", 1, "PRESENT"))) {
            write(otherPod, Map.of("alice", new Entry(2, "LATE")));
            slow.release();
        }

        AtomicInteger loadsAfterTheWrite = new AtomicInteger();
        Entries next = cache.entries(key, freshness -> {
            if (freshness.notBefore() > 0) {
                loadsAfterTheWrite.incrementAndGet();
            }
            return view("", "alice", 2, "LATE");
        });
        assertThat(next).as("the older load filled a dead generation").isEqualTo(view("", "alice", 2, "LATE"));
        assertThat(loadsAfterTheWrite).as("the load right after a write must include it (primary, or a replica that has it)").hasValue(1);
    }

    /**
     * A write prepares its amendment; before it is delivered, another write deletes the row and drops the view, and a
     * pod refills the view without the row. The late amendment must not bring the deleted row back: it drops the view
     * instead, and the next read loads.
     */
    @Test
    void anAmendmentThatArrivesAfterALaterDropDropsTheViewInsteadOfAmendingIt() {
        cache.entries(key, freshness -> view("", "alice", 1, "PRESENT", "bob", 1, "ABSENT"));
        List<Amendment> late = cache.prepare(Map.of(key, Map.of("alice", new Entry(2, "LATE"))));

        otherPod.invalidate(List.of(key.scope()));
        assertThat(otherPod.entries(key, freshness -> view("", "bob", 1, "ABSENT"))).isEqualTo(view("", "bob", 1, "ABSENT"));

        cache.afterCommit(List.of(), late);
        AtomicInteger loads = new AtomicInteger();
        Entries read = cache.entries(key, freshness -> {
            loads.incrementAndGet();
            return view("", "bob", 1, "ABSENT");
        });
        assertThat(read.entries()).as("the deleted row did not come back").doesNotContainKey("alice");
        assertThat(loads).as("the view was dropped, not amended").hasValue(1);
    }

    /**
     * A write prepared before anyone looked the view up (no generation yet, or Redis did not answer): a reader then
     * creates the generation and fills the view from before the commit. With no standing to check, the amendment must
     * drop the view, not leave that fill live.
     */
    @Test
    void aWriteThatFoundNoStandingBeforeItsCommitDropsTheView() {
        List<Amendment> amendments = cache.prepare(Map.of(key, Map.of("alice", new Entry(2, "LATE"))));
        assertThat(amendments).singleElement().extracting(Amendment::standing).isNull();
        otherPod.entries(key, freshness -> view("", "alice", 1, "PRESENT"));

        cache.afterCommit(List.of(), amendments);
        assertThat(cache.entries(key, freshness -> view("", "alice", 2, "LATE"))).as("loaded again, with the write")
                .isEqualTo(view("", "alice", 2, "LATE"));
    }

    /**
     * A caller shares a running load only if no write reached the view since it began. An amendment leaves the
     * generation as it is, so here the view is amended while a load from before the write runs, then evicted: the
     * writer's next read misses on the same generation and must wait for a load of its own, not take the older one.
     */
    @Test
    void aReadAfterAnAmendedViewWasEvictedDoesNotShareALoadFromBeforeTheWrite() throws Exception {
        ExecutorService writersRead = Executors.newSingleThreadExecutor();
        try (HeldReader before = new HeldReader(view("", "alice", 1, "PRESENT"))) {
            otherPod.entries(key, freshness -> view("", "alice", 1, "PRESENT"));
            write(otherPod, Map.of("alice", new Entry(2, "LATE")));
            long evicted = Platform.onRedis(redis -> redis.del(redis.keys(key.scope().valuePrefix() + ":*").toArray(String[]::new)));
            assertThat(evicted).isEqualTo(1);

            double arrivals = cacheRequests("load") + cacheRequests("coalesced");
            Future<Entries> after = writersRead.submit(() -> cache.entries(key, freshness -> view("", "alice", 2, "LATE")));
            await().atMost(Duration.ofMinutes(1)).until(() -> cacheRequests("load") + cacheRequests("coalesced") > arrivals);
            assertThat(before.release()).isEqualTo(view("", "alice", 1, "PRESENT"));
            assertThat(after.get(1, TimeUnit.MINUTES)).as("a load of its own, after the write").isEqualTo(view("", "alice", 2, "LATE"));
        } finally {
            writersRead.shutdown();
        }
    }

    private double cacheRequests(String result) {
        Counter counter = registry.find("teachtrack.cache.requests").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
