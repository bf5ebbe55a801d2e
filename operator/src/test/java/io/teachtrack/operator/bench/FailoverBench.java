package io.teachtrack.operator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.operator.testing.LocalCluster;
import io.teachtrack.operator.testing.OperatorFiles;
import io.teachtrack.operator.testing.OperatorRelease;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * B5: writes through faults of the primary, on the real node. The operator installed by Helm with the chart's
 * defaults, one small TeachTrack per engine (side by side, one operator), failover at its default 10 s. Each fault
 * runs {@code bench.b5.runs} times (default 5) per engine under a steady load of API writes whose acknowledgements
 * are recorded. Reports, per engine and fault, how long writes were unavailable (p50, max), acknowledged writes lost
 * (must be 0), samples with two servers able to commit (must be 0), and what became of the former primary. Run by
 * {@code make bench}; appends its table to app-image/target/bench/results.md and fails if anything was lost.
 */
class FailoverBench {

    private static final int RUNS = Integer.getInteger("bench.b5.runs", 5);
    private static final List<Fault> FAULTS = faults();

    @Test
    void writesThroughFaultsOfThePrimary() throws Exception {
        KubernetesClient client = LocalCluster.client();
        String namespace = LocalCluster.createNamespace("b5");
        List<FaultOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        OperatorRelease operator = OperatorRelease.install(namespace, Map.of());
        try {
            List<FaultedPlatform> platforms = List.of(new FaultedPlatform(client, namespace, operator, MysqlEngine.MySQL),
                    new FaultedPlatform(client, namespace, operator, MysqlEngine.MariaDB));
            platforms.forEach(FaultedPlatform::create);
            try (ExecutorService engines = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> running = new ArrayList<>();
                for (FaultedPlatform platform : platforms) {
                    running.add(engines.submit(() -> runAll(platform, outcomes)));
                }
                for (Future<?> engine : running) {
                    engine.get();
                }
            }
        } finally {
            // The operator's own account of every run, for whoever reads a surprising figure.
            Path log = OperatorFiles.root().resolve("operator/target/bench/b5-operator.log");
            Files.createDirectories(log.getParent());
            Files.writeString(log, operator.log());
            operator.close();
            String table = table(outcomes);
            System.out.println("\n" + table);
            Path results = OperatorFiles.root().resolve("app-image/target/bench/results.md");
            Files.createDirectories(results.getParent());
            Files.writeString(results, table + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            LocalCluster.deleteNamespace(namespace);
        }
        assertThat(outcomes).filteredOn(FaultOutcome::failedToRun).as("runs that did not complete").isEmpty();
        assertThat(outcomes).filteredOn(o -> o.lost() > 0).as("runs that lost acknowledged writes").isEmpty();
        assertThat(outcomes).filteredOn(o -> o.splitBrainSamples() > 0).as("runs with two servers able to commit").isEmpty();
        assertThat(outcomes).filteredOn(o -> !o.cacheDisagreements().isEmpty()).as("runs where the API answered a row unlike the primary")
                .isEmpty();
        assertThat(outcomes).filteredOn(o -> o.errors() > 0).as("runs where a write was answered with an error other than 503").isEmpty();
    }

    /** Round after round, every fault once per round, so that a slow start or a drift touches every fault alike. */
    private static void runAll(FaultedPlatform platform, List<FaultOutcome> outcomes) {
        for (int run = 1; run <= RUNS; run++) {
            for (Fault fault : FAULTS) {
                FaultOutcome outcome;
                try {
                    outcome = platform.run(fault, run);
                } catch (Exception | AssertionError e) {
                    e.printStackTrace(System.out);
                    outcome = FaultOutcome.failed(platform.engine(), fault, run, e.toString().lines().findFirst().orElse(""));
                }
                System.out.println("[figure] B5 " + outcome);
                outcomes.add(outcome);
            }
        }
    }

    static String table(List<FaultOutcome> outcomes) {
        StringBuilder table = new StringBuilder("""
                ### B5 failover: writes through faults of the primary (real node, operator defaults: semi-sync, failover after 10 s)

                | engine | fault | runs | writes unavailable p50 / max | acknowledged writes | lost | two able to commit (samples) | fence under way (samples) | primary moved | former primary | 503 answers | other errors | rows read around the fault: API unlike primary |
                |---|---|---|---|---|---|---|---|---|---|---|---|---|
                """);
        for (MysqlEngine engine : MysqlEngine.values()) {
            for (Fault fault : FAULTS) {
                List<FaultOutcome> runs = outcomes.stream().filter(o -> o.engine() == engine && o.fault() == fault).toList();
                if (runs.isEmpty()) {
                    continue;
                }
                List<FaultOutcome> done = runs.stream().filter(o -> !o.failedToRun()).toList();
                double[] seconds = done.stream().mapToDouble(o -> o.unavailable().toMillis() / 1000.0).sorted().toArray();
                table.append("| %s | %s | %d%s | %s | %d | %d | %d of %d | %d | %d | %s | %d | %d | %d of %d |\n".formatted(engine, fault.description(), done.size(),
                        done.size() < runs.size() ? " (" + (runs.size() - done.size()) + " failed)" : "",
                        seconds.length == 0 ? "–" : "%.1f / %.1f s".formatted(median(seconds), seconds[seconds.length - 1]),
                        done.stream().mapToInt(FaultOutcome::acknowledged).sum(), done.stream().mapToInt(FaultOutcome::lost).sum(),
                        done.stream().mapToInt(FaultOutcome::splitBrainSamples).sum(), done.stream().mapToInt(FaultOutcome::samples).sum(),
                        done.stream().mapToInt(FaultOutcome::fencingSamples).sum(),
                        done.stream().filter(FaultOutcome::movedThePrimary).count(),
                        done.stream().collect(Collectors.groupingBy(FaultOutcome::formerPrimary, Collectors.counting())).entrySet().stream()
                                .map(e -> e.getValue() + "× " + e.getKey()).sorted().collect(Collectors.joining(", ")),
                        done.stream().mapToLong(o -> o.refusals().getOrDefault(503, 0L)).sum(), done.stream().mapToLong(FaultOutcome::errors).sum(),
                        done.stream().mapToInt(o -> o.cacheDisagreements().size()).sum(),
                        done.stream().mapToInt(FaultOutcome::idsReadAroundTheFault).sum()));
            }
        }
        outcomes.stream().filter(FaultOutcome::failedToRun).forEach(o -> table.append("\n- ").append(o));
        table.append("""

                Each run starts from a Ready platform (a former primary excluded by an earlier run is rebuilt first: claim and
                pod deleted), writes subjects one after another through the API's Service, injects the fault into the primary
                and ends ten acknowledged writes after the platform settled. Writes unavailable: the longest time without an acknowledged (201)
                write from the last one before the fault. Lost: acknowledged writes the primary lacks afterwards. Two able to
                commit: samples, every 200 ms, where two servers were writable, accepting clients, with their semi-sync wait
                satisfied. Fence under way: samples where the second one was writable but refused clients (MySQL's offline mode,
                set first by a fence; it becomes read-only once the commits waiting on it have failed). Rows read around the
                fault: a reader polls through the API the newest acknowledged row and the next ids (writes in flight) 30 times
                a second; afterwards every id it read from 2 s before the fault until 2 s after writes came back is asked again
                and must match the primary (its code, or 404), so no value from a write the failover lost survives in the cache.
                """);
        return table.toString();
    }

    private static double median(double[] sorted) {
        return sorted[(sorted.length - 1) / 2];
    }

    /** {@code -Dbench.b5.faults=KILL,FREEZE} runs a subset; every fault by default. */
    private static List<Fault> faults() {
        String only = System.getProperty("bench.b5.faults", "");
        return only.isBlank() ? List.of(Fault.values()) : List.of(only.split(",")).stream().map(String::strip).map(Fault::valueOf).toList();
    }
}
