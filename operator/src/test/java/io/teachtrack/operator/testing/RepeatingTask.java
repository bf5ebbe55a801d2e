package io.teachtrack.operator.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** One step run again and again on a virtual thread until closed; closing waits for the step under way to end. */
public final class RepeatingTask implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private RepeatingTask(String name, Runnable step) {
        this.thread = Thread.ofVirtual().name(name).start(() -> {
            while (running.get() && !Thread.currentThread().isInterrupted()) {
                step.run();
            }
        });
    }

    public static RepeatingTask start(String name, Runnable step) {
        return new RepeatingTask(name, step);
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A step's pause (pacing, or a back-off after a refusal); an interrupt ends it and is kept for the loop to see. */
    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
