package io.teachtrack.api.cache;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One load per cached value per pod at a time, shared by every caller that may safely take its result — whether Redis
 * answers or not.
 *
 * <p>A caller may take the result of a load that is already running only if that load began after everything the caller
 * must see. It did when both looked up the same generation of the value in Redis: a write committed after the load
 * began would have moved the generation (or, for a view amended in place, the scope's amendment count). A caller
 * whose lookup failed (Redis slow or down) cannot know that, so it never joins a running load; it waits, with every caller in the same position, for the next load, which begins after all of
 * them arrived. A burst of misses on one value therefore costs one load when Redis answers, and at most two however
 * many callers there are when it does not.
 */
final class LoadFlights {

    /** How a caller takes part: it leads a load (after {@code previous}, if any, has ended) or shares one. */
    enum Part { LED, JOINED_RUNNING, JOINED_NEXT }

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    /** A load: the generation its leader looked up (null: unknown), and its result. */
    private static final class Flight {
        private final String generation;
        private final CompletableFuture<Optional<?>> result = new CompletableFuture<>();

        private Flight(String generation) {
            this.generation = generation;
        }
    }

    /** Per value: the load running now, and the one gathering callers to run after it. */
    private record Slot(Flight running, Flight next) {
    }

    private record Arrival(Flight flight, Part part, Flight previous) {
    }

    /**
     * The value's load for this caller: its own, or one it may share.
     *
     * @param value      what is loaded (the same for every generation of it)
     * @param generation the Redis key of the generation the caller looked up, or null when the lookup failed
     * @param observer   told how the caller took part, before it waits or loads (tests force interleavings with it)
     */
    @SuppressWarnings("unchecked")
    <T> Optional<T> load(String value, String generation, Supplier<Optional<T>> loader, Consumer<Part> observer) {
        Arrival arrival = arrive(value, generation);
        observer.accept(arrival.part());
        if (arrival.part() != Part.LED) {
            try {
                return (Optional<T>) arrival.flight().result.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        Flight mine = arrival.flight();
        Optional<T> result = null;
        Throwable failure = null;
        try {
            if (arrival.previous() != null) {
                // Begin only once the running load has ended, whatever its outcome: this load's callers arrived during it.
                arrival.previous().result.handle((done, failed) -> null).join();
            }
            result = loader.get();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        // Hand the slot on before anyone learns the outcome: the gathered load (its leader waits for this result) must
        // be the running one before it begins, so that no caller whose lookup failed joins it after it began.
        slots.computeIfPresent(value, (key, slot) -> slot.running() != mine ? slot
                : slot.next() == null ? null : new Slot(slot.next(), null));
        if (failure != null) {
            mine.result.completeExceptionally(failure);
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) failure;
        }
        mine.result.complete(result);
        return result;
    }

    private Arrival arrive(String value, String generation) {
        Arrival[] arrival = new Arrival[1];
        slots.compute(value, (key, slot) -> {
            if (slot == null) {
                Flight led = new Flight(generation);
                arrival[0] = new Arrival(led, Part.LED, null);
                return new Slot(led, null);
            }
            if (generation != null && Objects.equals(generation, slot.running().generation)) {
                arrival[0] = new Arrival(slot.running(), Part.JOINED_RUNNING, null);
                return slot;
            }
            if (slot.next() != null) {
                arrival[0] = new Arrival(slot.next(), Part.JOINED_NEXT, null);
                return slot;
            }
            Flight led = new Flight(generation);
            arrival[0] = new Arrival(led, Part.LED, slot.running());
            return new Slot(slot.running(), led);
        });
        return arrival[0];
    }
}
