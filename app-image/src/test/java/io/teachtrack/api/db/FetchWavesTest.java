package io.teachtrack.api.db;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Fetch sharing without servers: arrival times are given, fetches held open by latches, every interleaving forced. */
class FetchWavesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final FetchWaves<String> waves = new FetchWaves<>();
    private final AtomicInteger fetches = new AtomicInteger();
    /** Each fetching caller on a thread of its own (the common pool may have one thread on a small machine). */
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    /** A fetch that counts itself, reports that it started, waits for {@code gate}, and answers {@code value}. */
    private Supplier<String> fetch(String value, CountDownLatch started, CountDownLatch gate) {
        return () -> {
            fetches.incrementAndGet();
            started.countDown();
            try {
                gate.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return value;
        };
    }

    private static Supplier<String> mustNotFetch() {
        return () -> {
            throw new AssertionError("a caller that could share a fetch started its own");
        };
    }

    /** Runs {@code after} on its own thread; returns once that thread waits for a running fetch. */
    private CompletableFuture<String> waitingCaller(long arrivedAt) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                answer.complete(waves.after(arrivedAt, mustNotFetch()));
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        });
        await().atMost(WAIT).until(() -> caller.getState() == Thread.State.WAITING || answer.isDone());
        return answer;
    }

    @Test
    void callersShareTheFirstFetchThatStartedAfterTheyArrived() throws Exception {
        long beforeFirst = System.nanoTime();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch firstGate = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> waves.after(beforeFirst, fetch("one", firstStarted, firstGate)), callers);
        assertThat(firstStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        CompletableFuture<String> sharesFirst = waitingCaller(beforeFirst);

        // Arrived while the first fetch ran: that fetch may miss its writes, so a second starts, and later arrivals
        // whose time is before the second's start share it.
        long duringFirst = System.nanoTime();
        CountDownLatch secondStarted = new CountDownLatch(1);
        CountDownLatch secondGate = new CountDownLatch(1);
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> waves.after(duringFirst, fetch("two", secondStarted, secondGate)), callers);
        assertThat(secondStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> sharesSecond = waitingCaller(duringFirst);
        CompletableFuture<String> earlyButLate = waitingCaller(beforeFirst);

        firstGate.countDown();
        secondGate.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("one");
        assertThat(sharesFirst.get(30, TimeUnit.SECONDS)).isEqualTo("one");
        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("two");
        assertThat(sharesSecond.get(30, TimeUnit.SECONDS)).isEqualTo("two");
        assertThat(earlyButLate.get(30, TimeUnit.SECONDS)).as("the newest fetch started after it arrived too").isEqualTo("two");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void aFailedFetchFailsItsSharersAndTheNextCallerFetchesAfresh() throws Exception {
        long arrived = System.nanoTime();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        CompletableFuture<String> failing = CompletableFuture.supplyAsync(() -> waves.after(arrived, () -> {
            fetch("unused", started, gate).get();
            throw new IllegalStateException("primary down");
        }), callers);
        assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> sharer = waitingCaller(arrived);
        gate.countDown();
        assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("primary down");
        assertThatThrownBy(() -> sharer.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("primary down");

        CountDownLatch open = new CountDownLatch(0);
        assertThat(waves.after(System.nanoTime(), fetch("back", new CountDownLatch(1), open))).isEqualTo("back");
        assertThat(fetches).hasValue(2);
    }
}
