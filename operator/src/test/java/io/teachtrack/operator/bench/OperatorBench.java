package io.teachtrack.operator.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.api.v1alpha1.TeachTrackSpec;
import io.teachtrack.operator.testing.AuditLog;
import io.teachtrack.operator.testing.ChartServiceAccount;
import io.teachtrack.operator.testing.KwokCluster;
import io.teachtrack.operator.testing.LocalVolumeProvisioner;
import io.teachtrack.operator.testing.OperatorFiles;
import io.teachtrack.operator.testing.OperatorProcess;
import io.teachtrack.operator.testing.pods.PodSupervisor;
import io.teachtrack.testkit.TestDirectories;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * B4: the operator on the local cluster (kube-apiserver, controller-manager, scheduler, kwok), run as the packaged
 * jar with the Helm chart's RBAC; a real MariaDB server stands in for every MySQL pod. Measures the time from apply to
 * all children (the API and worker Deployments come last: they wait for the database bootstrap) for 1 and for 50
 * TeachTracks, the API requests of a no-op reconcile, and the operator's memory with 50 TeachTracks.
 * Run by {@code make bench}; appends its table to app-image/target/bench/results.md.
 */
class OperatorBench {

    private static final int MANY = Integer.getInteger("bench.teachtracks", 50);
    private static final Duration LIMIT = Duration.ofMinutes(10);

    @Test
    void operatorCosts() throws Exception {
        KubernetesClient client = KwokCluster.CLUSTER.client();
        KwokCluster.CLUSTER.installCrd();
        String namespace = KwokCluster.CLUSTER.createNamespace("operator-bench");
        Path data = OperatorFiles.root().resolve("operator/target/operator-bench/" + namespace);
        try (LocalVolumeProvisioner volumes = LocalVolumeProvisioner.start(client);
             PodSupervisor databases = PodSupervisor.databasesOnly(client, namespace, data);
             ChartServiceAccount identity = ChartServiceAccount.install(client, namespace);
             OperatorProcess operator = new OperatorProcess(namespace, Map.of(
                     "KUBECONFIG", identity.kubeconfig().toString(),
                     "TEACHTRACK_MYSQL_ADDRESS_MODE", "pod-ip",
                     // The heap the chart's default memory limit gives the JVM (container-aware sizing).
                     "JAVA_TOOL_OPTIONS", "-Xmx384m",
                     "TEACHTRACK_MYSQL_POLL_INTERVAL", "5s")).start()) {
            long idleMemory = operator.residentMemoryMiB();
            // The first TeachTrack also pays for the operator's cold start (class loading, the JIT); the second is the
            // figure of a running operator.
            Timings first = applyAndTime(client, namespace, 1, "first");
            Timings one = applyAndTime(client, namespace, 1, "solo");
            Timings many = applyAndTime(client, namespace, MANY, "bench");
            Thread.sleep(5_000); // let the status updates settle
            long busyMemory = operator.residentMemoryMiB();

            AuditLog audit = KwokCluster.CLUSTER.auditLog();
            double before = operator.counter("teachtrack_reconciliations_total");
            double openedBefore = operator.counter("teachtrack_mysql_sessions_opened_total");
            double reusedBefore = operator.counter("teachtrack_mysql_sessions_reused_total");
            long mark = audit.mark();
            client.services().inNamespace(namespace).withName("solo-00-api")
                    .edit(service -> {
                        service.getMetadata().getLabels().put("example.com/touched", "yes");
                        return service;
                    });
            Instant deadline = Instant.now().plusSeconds(30);
            while (operator.counter("teachtrack_reconciliations_total") <= before && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            Thread.sleep(2_000);
            List<AuditLog.Request> requests = audit.since(mark, OperatorProcess.USER_AGENT);
            long writes = requests.stream().filter(AuditLog.Request::isWrite).count();
            double reconciles = Math.max(1, operator.counter("teachtrack_reconciliations_total") - before);
            double opened = operator.counter("teachtrack_mysql_sessions_opened_total") - openedBefore;
            double sessionsUsed = Math.max(1, opened + operator.counter("teachtrack_mysql_sessions_reused_total") - reusedBefore);

            String table = """
                    ### B4 operator: local cluster (kwok), operator as the chart's ServiceAccount, MariaDB per MySQL pod

                    | figure | measured | target |
                    |---|---|---|
                    | 1 TeachTrack: apply → children that need no database (Secret, ConfigMap, Services, StatefulSets, Redis, PDBs, NetworkPolicies) | %.2f s | ≤ 1 s |
                    | 1 TeachTrack: apply → all children (the API and worker Deployments wait for the MariaDB pod and its bootstrap) | %.2f s | ≤ 1 s |
                    | the first TeachTrack after the operator started: children that need no database / all | %.2f / %.2f s | – |
                    | %d TeachTracks applied together: apply → children that need no database, p50 / p99 | %.2f / %.2f s | ≤ 20 s |
                    | %d TeachTracks applied together: apply → all children, p50 / p99 / last | %.2f / %.2f / %.2f s | ≤ 20 s |
                    | API requests per no-op reconcile (writes), over %.0f reconciles | %.1f (%d) | 0 writes |
                    | MySQL logins per server a replication pass reached, over the same reconciles | %.2f (%.0f of %.0f) | 0 (a kept session) |
                    | operator memory (RSS, -Xmx384m): idle / with %d TeachTracks | %d MiB / %d MiB | – |

                    Each TeachTrack: `engine: MariaDB`, `mysql.replicas: 0` (a real MariaDB server runs for every MySQL pod; with
                    the default 2 replicas, %d TeachTracks would need %d servers on this machine), everything else defaulted.
                    """.formatted(one.firstWave()[0], one.all()[0], first.firstWave()[0], first.all()[0], MANY, many.firstWave()[0], many.firstWave()[1],
                    MANY, many.all()[0], many.all()[1], many.all()[2], reconciles, requests.size() / reconciles, writes,
                    opened / sessionsUsed, opened, sessionsUsed, MANY, idleMemory, busyMemory, MANY, MANY * 3);
            System.out.println("\n" + table);
            System.out.println("[bench] the operator's API requests over the no-op reconciles: " + requests.stream()
                    .collect(Collectors.groupingBy(r -> r.verb() + " " + r.resource() + (r.subresource().isEmpty() ? "" : "/" + r.subresource()),
                            TreeMap::new, Collectors.counting())));
            Path results = OperatorFiles.root().resolve("app-image/target/bench/results.md");
            Files.createDirectories(results.getParent());
            Files.writeString(results, table + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } finally {
            KwokCluster.CLUSTER.deleteNamespace(namespace);
            // Fifty MariaDB data directories take about 8 GB: a run must not leave them to fill the disk.
            TestDirectories.remove(data);
        }
    }

    /** Seconds from create: {p50, p99, max} until the first wave exists, and until every child exists. */
    record Timings(double[] firstWave, double[] all) {
    }

    /** Creates {@code count} TeachTracks at once and times their children, as a watch sees them appear. */
    private static Timings applyAndTime(KubernetesClient client, String namespace, int count, String prefix) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("%s-%02d".formatted(prefix, i));
        }
        Map<String, Instant> created = new HashMap<>();
        // Watched, not polled: polling every child of fifty TeachTracks kept the API server busier than the operator.
        try (Appearances seen = Appearances.watch(client, namespace)) {
            for (String name : names) {
                TeachTrack tt = new TeachTrack();
                tt.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
                tt.setSpec(new TeachTrackSpec());
                tt.getSpec().getMysql().setEngine(MysqlEngine.MariaDB);
                tt.getSpec().getMysql().setReplicas(0);
                created.put(name, Instant.now());
                client.resource(tt).create();
            }
            await().atMost(LIMIT).pollInterval(Duration.ofMillis(100)).until(() -> names.stream().allMatch(name -> seen.all(name) != null));
            Map<String, Double> firstWave = new HashMap<>();
            Map<String, Double> all = new HashMap<>();
            for (String name : names) {
                firstWave.put(name, Duration.between(created.get(name), seen.firstWave(name)).toMillis() / 1000.0);
                all.put(name, Duration.between(created.get(name), seen.all(name)).toMillis() / 1000.0);
            }
            return new Timings(summary(firstWave), summary(all));
        }
    }

    /** When each StatefulSet, Deployment and Service of the namespace first appeared. */
    private static final class Appearances implements AutoCloseable {
        private final Map<String, Instant> first = new ConcurrentHashMap<>();
        private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

        static Appearances watch(KubernetesClient client, String namespace) {
            Appearances appearances = new Appearances();
            appearances.informers.add(client.apps().statefulSets().inNamespace(namespace).inform(appearances.recorder("StatefulSet")));
            appearances.informers.add(client.apps().deployments().inNamespace(namespace).inform(appearances.recorder("Deployment")));
            appearances.informers.add(client.services().inNamespace(namespace).inform(appearances.recorder("Service")));
            return appearances;
        }

        private <T extends HasMetadata> ResourceEventHandler<T> recorder(String kind) {
            return new ResourceEventHandler<>() {
                @Override
                public void onAdd(T object) {
                    first.putIfAbsent(kind + "/" + object.getMetadata().getName(), Instant.now());
                }

                @Override
                public void onUpdate(T before, T after) {
                    onAdd(after);
                }

                @Override
                public void onDelete(T object, boolean unknownFinalState) {
                    // appearances only
                }
            };
        }

        /** The primary StatefulSet, the Redis Deployment and the API Service: the last of the first wave to be applied. */
        Instant firstWave(String tt) {
            return latest(List.of("StatefulSet/" + tt + "-mysql", "Deployment/" + tt + "-redis", "Service/" + tt + "-api"));
        }

        /** The first wave and the API and worker Deployments, which wait for the database. */
        Instant all(String tt) {
            Instant wave = firstWave(tt);
            Instant rest = latest(List.of("Deployment/" + tt + "-api", "Deployment/" + tt + "-worker"));
            return wave == null || rest == null ? null : wave.isAfter(rest) ? wave : rest;
        }

        /** The time the last of them appeared, or null while one is missing. */
        private Instant latest(List<String> keys) {
            Instant latest = Instant.MIN;
            for (String key : keys) {
                Instant at = first.get(key);
                if (at == null) {
                    return null;
                }
                latest = at.isAfter(latest) ? at : latest;
            }
            return latest;
        }

        @Override
        public void close() {
            informers.forEach(SharedIndexInformer::close);
        }
    }

    private static double[] summary(Map<String, Double> seconds) {
        double[] sorted = seconds.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1]};
    }

    private static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

}
