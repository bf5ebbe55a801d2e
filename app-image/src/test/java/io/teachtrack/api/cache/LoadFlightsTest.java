package io.teachtrack.api.cache;

import io.teachtrack.api.cache.LoadFlights.Part;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Single flight without servers, every interleaving forced: a load is held open by a latch until the callers under
 * test have arrived (each reports how it takes part before it waits).
 */
class LoadFlightsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final LoadFlights flights = new LoadFlights();
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger loads = new AtomicInteger();
    private final ConcurrentLinkedQueue<Part> parts = new ConcurrentLinkedQueue<>();

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    /** A load that counts itself, returns {@code result} and, if {@code gate} is given, waits for it first. */
    private Future<Optional<String>> call(String generation, String result, CountDownLatch gate) {
        return callers.submit(() -> flights.load("val:class:7:one", generation, () -> {
            loads.incrementAndGet();
            if (gate != null) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return Optional.of(result);
        }, parts::add));
    }

    private void awaitArrivals(int count) {
        await().atMost(WAIT).until(() -> parts.size() >= count);
    }

    @Test
    void callersThatLookedUpTheSameGenerationShareTheRunningLoad() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Future<Optional<String>> leader = call("gen-1", "first", gate);
        await().atMost(WAIT).until(() -> loads.get() == 1);
        Future<Optional<String>> joiner = call("gen-1", "second", null);
        awaitArrivals(2);
        gate.countDown();

        assertThat(leader.get()).contains("first");
        assertThat(joiner.get()).contains("first");
        assertThat(loads).hasValue(1);
        assertThat(parts).containsExactly(Part.LED, Part.JOINED_RUNNING);
    }

    @Test
    void aCallerWhoseLookupFailedNeverTakesALoadThatBeganBeforeItArrived() throws Exception {
        CountDownLatch firstGate = new CountDownLatch(1);
        Future<Optional<String>> first = call("gen-1", "first", firstGate);
        await().atMost(WAIT).until(() -> loads.get() == 1);
        Future<Optional<String>> unknown = call(null, "next", null);
        awaitArrivals(2);
        Future<Optional<String>> anotherUnknown = call(null, "never loaded", null);
        Future<Optional<String>> newer = call("gen-2", "never loaded either", null);
        Future<Optional<String>> same = call("gen-1", "not loaded", null);
        awaitArrivals(5);
        assertThat(parts).containsExactly(Part.LED, Part.LED, Part.JOINED_NEXT, Part.JOINED_NEXT, Part.JOINED_RUNNING);
        assertThat(loads).as("the next load waits for the running one to end").hasValue(1);
        firstGate.countDown();

        assertThat(first.get()).contains("first");
        assertThat(same.get()).contains("first");
        assertThat(unknown.get()).as("a load that began after it arrived").contains("next");
        assertThat(anotherUnknown.get()).contains("next");
        assertThat(newer.get()).as("a newer generation never takes an older load").contains("next");
        assertThat(loads).hasValue(2);
    }

    @Test
    void aHundredCallersWhoseLookupsFailedCostAtMostTwoLoads() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<Optional<String>>> calls = new ArrayList<>();
        calls.add(call(null, "load", gate));
        await().atMost(WAIT).until(() -> loads.get() == 1);
        for (int i = 1; i < 100; i++) {
            calls.add(call(null, "load", null));
        }
        awaitArrivals(100);
        gate.countDown();
        for (Future<Optional<String>> call : calls) {
            assertThat(call.get()).contains("load");
        }
        assertThat(loads).hasValue(2);
        assertThat(parts).filteredOn(part -> part == Part.LED).hasSize(2);
    }

    @Test
    void aFailedLoadFailsItsCallersAndTheNextLoadStillRuns() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        Future<Optional<String>> failing = callers.submit(() -> flights.load("val:class:7:one", "gen-1", () -> {
            loads.incrementAndGet();
            gate.join();
            throw new IllegalStateException("the database refused");
        }, parts::add));
        await().atMost(WAIT).until(() -> loads.get() == 1);
        Future<Optional<String>> joiner = call("gen-1", "unused", null);
        Future<Optional<String>> next = call(null, "after the failure", null);
        awaitArrivals(3);
        gate.complete(null);

        assertThatThrownBy(failing::get).hasRootCauseMessage("the database refused");
        assertThatThrownBy(joiner::get).hasRootCauseMessage("the database refused");
        assertThat(next.get()).contains("after the failure");
    }

    @Test
    void aFinishedLoadIsNeverSharedAgain() throws Exception {
        assertThat(call("gen-1", "first", null).get()).contains("first");
        assertThat(call("gen-1", "second", null).get()).as("the cache, not the flights, keeps results").contains("second");
        assertThat(parts).containsExactly(Part.LED, Part.LED);
    }
}
