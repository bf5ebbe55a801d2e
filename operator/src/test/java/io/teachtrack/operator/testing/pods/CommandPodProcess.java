package io.teachtrack.operator.testing.pods;

import io.teachtrack.testkit.Processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A container that is one command (Redis, the API image's jar): started with the pod's environment, output to a log. */
final class CommandPodProcess implements PodProcess {

    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private final BooleanSupplier readinessProbe;
    private volatile Process process;

    CommandPodProcess(List<String> command, Map<String, String> environment, Path log, BooleanSupplier readinessProbe) {
        this.command = command;
        this.environment = environment;
        this.log = log;
        this.readinessProbe = readinessProbe;
    }

    CommandPodProcess start() {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.getFirst(), e);
        }
        return this;
    }

    @Override
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public boolean probeReady() {
        return isAlive() && readinessProbe.getAsBoolean();
    }

    @Override
    public void kill() {
        Processes.kill(process);
    }

    @Override
    public void restart() {
        kill();
        start();
    }
}
