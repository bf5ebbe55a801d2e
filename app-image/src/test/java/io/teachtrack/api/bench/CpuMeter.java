package io.teachtrack.api.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU used by each component of a benchmark (the load generator, the apps, the databases, Redis), from the kernel's
 * per-process counters: the cores each kept busy over a phase. Shows whether the load generator starved what it
 * measured on a machine they share.
 */
final class CpuMeter {

    /** USER_HZ: the unit of utime and stime in /proc/<pid>/stat, 100 on Linux. */
    private static final double TICKS_PER_SECOND = 100;

    private final Map<String, Supplier<List<Long>>> components = new LinkedHashMap<>();

    /** Adds a component by the processes that make it up (looked up at each reading: a restarted server has a new pid). */
    CpuMeter add(String name, Supplier<List<Long>> pids) {
        components.put(name, pids);
        return this;
    }

    List<String> names() {
        return List.copyOf(components.keySet());
    }

    /** The CPU seconds each component has used so far, and when they were read. */
    record Reading(long nanos, Map<String, Double> seconds) {

        /** Cores each component kept busy since an earlier reading. */
        Map<String, Double> coresSince(Reading earlier) {
            double wall = (nanos - earlier.nanos) / 1e9;
            Map<String, Double> cores = new LinkedHashMap<>();
            seconds.forEach((name, used) -> cores.put(name, (used - earlier.seconds.getOrDefault(name, 0.0)) / wall));
            return cores;
        }
    }

    Reading read() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        components.forEach((name, pids) -> seconds.put(name, pids.get().stream().mapToDouble(CpuMeter::cpuSeconds).sum()));
        return new Reading(System.nanoTime(), seconds);
    }

    /** utime + stime of a process (all its threads); 0 once it is gone. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name may hold spaces: the fields that follow it start after its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields 14 and 15 of stat(5), counted from the state field (3) on.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException e) {
            return 0;
        }
    }
}
