package io.teachtrack.api.db;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Shares a fetch among the callers that need a value taken after they arrived: a caller joins the newest fetch if it
 * started after the caller arrived, or starts one. While one fetch runs, the callers that arrive meanwhile share the
 * next: a steady stream of callers costs about one fetch per fetch's duration, however many there are.
 */
final class FetchWaves<T> {

    private record Fetch<T>(long startedAt, CompletableFuture<T> value) {
    }

    private final AtomicReference<Fetch<T>> latest = new AtomicReference<>();

    /** A value fetched after {@code arrivedAt} ({@link System#nanoTime()}); the fetch's exception if it failed. */
    T after(long arrivedAt, Supplier<T> fetch) {
        while (true) {
            Fetch<T> current = latest.get();
            if (current != null && current.startedAt() - arrivedAt >= 0) {
                return join(current.value());
            }
            Fetch<T> next = new Fetch<>(System.nanoTime(), new CompletableFuture<>());
            if (latest.compareAndSet(current, next)) {
                try {
                    next.value().complete(fetch.get());
                } catch (RuntimeException e) {
                    next.value().completeExceptionally(e);
                }
                return join(next.value());
            }
        }
    }

    private static <T> T join(CompletableFuture<T> value) {
        try {
            return value.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
