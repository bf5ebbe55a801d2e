package io.teachtrack.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Working directories of tests: each run starts from an empty one, whatever an earlier run left there. */
public final class TestDirectories {

    private TestDirectories() {
    }

    /** Empties {@code dir} (files the containers' users own included) and returns it. */
    public static Path fresh(Path dir) {
        Processes.check(List.of("rm", "-rf", dir.toString()), Duration.ofMinutes(1));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code dir} and everything in it (files the containers' users own included). */
    public static void remove(Path dir) {
        Processes.check(List.of("rm", "-rf", dir.toString()), Duration.ofMinutes(1));
    }
}
