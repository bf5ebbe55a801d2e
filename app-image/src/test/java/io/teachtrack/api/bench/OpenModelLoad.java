package io.teachtrack.api.bench;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * An open-model load generator: requests start on a fixed schedule whether or not earlier ones have finished, each
 * on its own virtual thread, and latency is measured from the request's intended send time. A slow server therefore
 * shows as queueing delay in the percentiles instead of silently lowering the offered rate (coordinated omission).
 */
public final class OpenModelLoad {

    private static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(2);

    /** One request: returns the HTTP status (or throws). */
    @FunctionalInterface
    public interface Call {
        int send() throws Exception;
    }

    /** A request that changes data: its latency is also recorded apart from the reads'. */
    @FunctionalInterface
    public interface Write extends Call {
    }

    /** Latencies of all requests, and of the reads and the writes apart (a mix's p99 can be its writes' p90). */
    public record Result(String phase, double offeredRate, Duration duration, long requests, long errors, Histogram latency,
                         Histogram reads, Histogram writes) {
        public double throughput() {
            return (requests - errors) / (duration.toNanos() / 1e9);
        }

        public double millis(double percentile) {
            return millis(latency, percentile);
        }

        public double readMillis(double percentile) {
            return millis(reads, percentile);
        }

        public double writeMillis(double percentile) {
            return millis(writes, percentile);
        }

        private static double millis(Histogram histogram, double percentile) {
            return histogram.getValueAtPercentile(percentile) / 1e6;
        }
    }

    private OpenModelLoad() {
    }

    public static Result run(String phase, double rate, Duration duration, Supplier<Call> workload) {
        Histogram latency = new ConcurrentHistogram(MAX_LATENCY_NANOS, 3);
        Histogram reads = new ConcurrentHistogram(MAX_LATENCY_NANOS, 3);
        Histogram writes = new ConcurrentHistogram(MAX_LATENCY_NANOS, 3);
        AtomicLong errors = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        long interval = Math.round(1e9 / rate);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; ; i++) {
                long intended = start + i * interval;
                if (intended >= end) {
                    break;
                }
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                Call call = workload.get();
                requests.incrementAndGet();
                threads.submit(() -> {
                    boolean ok;
                    try {
                        int status = call.send();
                        ok = status < 400;
                    } catch (Exception e) {
                        ok = false;
                    }
                    long nanos = Math.min(MAX_LATENCY_NANOS, System.nanoTime() - intended);
                    latency.recordValue(nanos);
                    (call instanceof Write ? writes : reads).recordValue(nanos);
                    if (!ok) {
                        errors.incrementAndGet();
                    }
                });
            }
        } // close() waits for every request still in flight
        return new Result(phase, rate, Duration.ofNanos(Math.max(1, System.nanoTime() - start)), requests.get(), errors.get(), latency,
                reads, writes);
    }
}
