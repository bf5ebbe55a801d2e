package io.teachtrack.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion and returns its output; a failure throws with everything it printed. */
public final class Processes {

    public record Result(int exitCode, String stdout, String stderr) {
        public Result requireSuccess(List<String> command) {
            if (exitCode != 0) {
                throw new IllegalStateException("command failed (exit " + exitCode + "): " + String.join(" ", command)
                        + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr);
            }
            return this;
        }
    }

    private Processes() {
    }

    /** Output goes to files, so the timeout holds even when a child keeps the output open. */
    public static Result run(List<String> command, Path workDir, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("teachtrack-cmd", ".out");
            err = Files.createTempFile("teachtrack-cmd", ".err");
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("command timed out after " + timeout + ": " + String.join(" ", command)
                        + "\n--- stderr ---\n" + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** SIGKILL, as a crashed container, and wait until it is gone. */
    public static void kill(Process process) {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }
}
