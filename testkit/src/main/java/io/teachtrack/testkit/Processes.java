package io.teachtrack.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Running commands, and starting, signalling and stopping the real processes the tests use. */
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

    /** Runs a command to completion. Output goes to files, so the timeout holds even when a child keeps it open. */
    public static Result run(List<String> command, Path workDir, Duration timeout) {
        return run(command, workDir, timeout, Map.of());
    }

    /** As {@link #run(List, Path, Duration)}, with these variables added to (or replacing) the environment. */
    public static Result run(List<String> command, Path workDir, Duration timeout, Map<String, String> environment) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("teachtrack-cmd", ".out");
            err = Files.createTempFile("teachtrack-cmd", ".err");
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Process process = builder
                    .directory(workDir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("command timed out after " + timeout + ": " + String.join(" ", command)
                        + "\n--- stderr ---\n" + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + " (run 'make deps')", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Runs a command and fails with everything it printed unless it succeeds. */
    public static Result check(List<String> command, Duration timeout) {
        return run(command, Path.of("/"), timeout).requireSuccess(command);
    }

    /** Starts a long-running process whose output is appended to {@code log}. */
    public static Process start(List<String> command, Path log) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0) + " (run 'make deps')", e);
        }
    }

    /** SIGSTOP / SIGCONT / SIGKILL by pid: how a frozen or crashed process looks to its clients. */
    public static void signal(Process process, String signal) {
        check(List.of("kill", "-" + signal, Long.toString(process.pid())), Duration.ofSeconds(10));
    }

    /** SIGKILL, as a crashed container, and wait until it is gone. */
    public static void kill(Process process) {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            awaitExit(process, Duration.ofSeconds(30));
        }
    }

    /** SIGTERM, then SIGKILL when it does not stop in 20 s. */
    public static void stop(Process process) {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!awaitExit(process, Duration.ofSeconds(20))) {
                kill(process);
            }
        }
    }

    private static boolean awaitExit(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A TCP port free right now on this machine. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }
}
