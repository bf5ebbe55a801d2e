package io.teachtrack.operator.e2e;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.operator.api.v1alpha1.Phase;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.model.CredentialGenerator;
import io.teachtrack.operator.model.CredentialKeys;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.mysql.DatabaseCredentials;
import io.teachtrack.operator.mysql.SqlSession;
import io.teachtrack.operator.replication.ReplicaStates;
import io.teachtrack.operator.testing.ClusterWaits;
import io.teachtrack.operator.testing.LocalCluster;
import io.teachtrack.operator.testing.MonitoringBundle;
import io.teachtrack.operator.testing.MysqlVolumes;
import io.teachtrack.operator.testing.NodeContainer;
import io.teachtrack.operator.testing.OperatorChart;
import io.teachtrack.operator.testing.OperatorLogOnFailure;
import io.teachtrack.operator.testing.OperatorRelease;
import io.teachtrack.operator.testing.PlatformApi;
import io.teachtrack.operator.testing.PodReadiness;
import io.teachtrack.operator.testing.RedisProbe;
import io.teachtrack.operator.testing.RepeatingTask;
import io.teachtrack.operator.testing.Samples;
import io.teachtrack.operator.testing.TeachTrackRef;
import io.teachtrack.testkit.DatabaseEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.teachtrack.operator.testing.ClusterWaits.await;
import static io.teachtrack.operator.testing.TeachTrackRef.condition;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end on the real node, on both engines at once: the operator installed by Helm runs in its pod, and the small
 * sample goes twice — on MySQL 9.7 and on MariaDB 11.8, side by side in one namespace — from {@code kubectl apply} to
 * a platform of real containers (database servers replicating, Redis, the API and the worker), reached through its
 * Services. Then both are scaled, broken, loaded and deleted together, and their statuses follow. A pod is "killed"
 * with the node cordoned, so it cannot come back until the test has seen it gone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(ClusterWaits.NODE)
class PlatformE2EIT {

    private static final Duration START = Duration.ofMinutes(8);
    private static final Duration CHANGE = Duration.ofMinutes(4);
    private static final Duration SQL_TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicLong PAGES = new AtomicLong(1_000_000);

    private static KubernetesClient client;
    private static String namespace;
    private static OperatorRelease operator;
    @RegisterExtension
    static final OperatorLogOnFailure OPERATOR_LOG = new OperatorLogOnFailure(() -> operator);
    private static List<Platform> platforms;
    /** The primary container step 6 freezes; thawed at the step's end, or at the latest when the class ends. */
    private static NodeContainer.Frozen frozenPrimary;

    /** One TeachTrack of the test, and what the tests learn about it on the way. */
    private static final class Platform {
        final MysqlEngine engine;
        final String name;
        final TeachTrackRef ref;
        /** The subject created through the API in the first test. */
        long subjectId;
        /** The admin and a user who never writes, both logged in while the primary was there. */
        PlatformApi admin;
        PlatformApi reader;

        Platform(MysqlEngine engine) {
            this.engine = engine;
            this.name = "school-" + engine.name().toLowerCase(Locale.ROOT);
            this.ref = new TeachTrackRef(client, namespace, name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void installOperator() {
        client = LocalCluster.client();
        namespace = LocalCluster.createNamespace("e2e");
        operator = OperatorRelease.install(namespace, Map.of("mysql.pollInterval", "2s"));
        platforms = List.of(new Platform(MysqlEngine.MySQL), new Platform(MysqlEngine.MariaDB));
    }

    @AfterAll
    static void uninstall() {
        thaw();
        uncordon();
        if (operator != null) {
            operator.close();
        }
        if (namespace != null) {
            LocalCluster.deleteNamespace(namespace);
        }
    }

    @Test
    @Order(1)
    void theSmallSampleServesWritesFromThePrimaryAndReadsFromAReplica() throws Exception {
        long start = System.nanoTime();
        for (Platform p : platforms) {
            TeachTrack sample = Samples.small(namespace, p.engine);
            sample.getMetadata().setName(p.name);
            // Off until step 6, which turns it on for MySQL only: until then a lost pod is a lost pod, and MariaDB shows
            // what a lost primary means without failover (reads go on, writes wait for it).
            sample.getSpec().getMysql().getFailover().setEnabled(false);
            client.resource(sample).create();
        }
        for (Platform p : platforms) {
            TeachTrack ready = p.ref.awaitStatus(START, tt -> tt.getStatus().getPhase() == Phase.Ready);
            System.out.printf("[figure] e2e on the real node: small sample on %s READY %d ms after apply (both engines applied together)%n",
                    p.engine, (System.nanoTime() - start) / 1_000_000);
            for (String type : List.of("Ready", "DatabaseReady", "ReplicationReady", "CacheReady", "ApiReady", "WorkersReady")) {
                assertThat(condition(ready, type).getStatus()).as(p + " " + type).isEqualTo("True");
            }
        }
        for (Platform p : platforms) {
            TeachTrack ready = p.ref.get();
            PlatformApi service = apiService(p).login("admin", p.ref.credential("admin-password"));
            assertThat(service.get("/api/v1/subjects?limit=1").status()).as(p + ": the API answers through its Service").isEqualTo(200);
            PlatformApi api = apiOfAReadyPod(p);
            PlatformApi.Response created = api.post("/api/v1/subjects", Map.of("code", "E2E-PHYSICS", "name", "Physics, end to end"));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            p.subjectId = created.body().get("id").asLong();
            long writtenAt = System.currentTimeMillis();

            assertThat(ready.getStatus().getMysql().getPrimary()).as(p + ": a new TeachTrack's primary is pod 0").isEqualTo(Names.mysqlPod(ready, 0));
            assertThat(roleOf(Names.mysqlPod(ready, 0))).isEqualTo("primary");
            try (SqlSession primary = root(p, Names.mysqlPod(ready, 0))) {
                assertThat(primary.queryLong("SELECT COUNT(*) FROM teachtrack.subjects WHERE id = ?", p.subjectId))
                        .as(p + ": the write is on the primary").isEqualTo(1);
            }
            // Once every replica has applied a heartbeat written after the write, the writer's own reads may use them.
            await().atMost(CHANGE).untilAsserted(() -> {
                for (String replica : List.of(Names.mysqlPod(ready, 1), Names.mysqlPod(ready, 2))) {
                    try (SqlSession session = root(p, replica)) {
                        assertThat(session.queryLong("SELECT COUNT(*) FROM teachtrack.subjects WHERE id = ?", p.subjectId)).isEqualTo(1);
                        assertThat(session.queryLong("SELECT ts FROM teachtrack.heartbeat WHERE id = 1")).isGreaterThan(writtenAt + 500);
                    }
                }
            });
            PlatformApi.Response list = api.get("/api/v1/subjects?limit=100");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body().get("items").findValuesAsText("code")).contains("E2E-PHYSICS");
            // A page never asked for misses the cache and loads from a replica, once the pod's lag monitor (probing every
            // 250 ms) has seen the replicas pass the write.
            await().atMost(CHANGE).untilAsserted(() -> {
                double replicaReads = api.counter("teachtrack_db_routes_total", "target=\"replica\"");
                assertThat(api.get(uncachedPage()).status()).isEqualTo(200);
                assertThat(api.counter("teachtrack_db_routes_total", "target=\"replica\"")).as("a replica served the read; routes:\n%s",
                        api.metricLines("teachtrack_db_routes_total")).isGreaterThan(replicaReads);
            });
            // Redis serves the read by id once the pod's cache client is connected (it fails open to the database until
            // then, and the pod may have started before Redis was ready).
            await().atMost(CHANGE).untilAsserted(() -> {
                double hits = api.counter("teachtrack_cache_requests_total", "result=\"hit\"");
                assertThat(api.get("/api/v1/subjects/" + p.subjectId).body().get("name").asText()).isEqualTo("Physics, end to end");
                assertThat(api.counter("teachtrack_cache_requests_total", "result=\"hit\"")).as(p + ": the read by id came from Redis;"
                        + " cache requests:\n%s", api.metricLines("teachtrack_cache_requests_total")).isGreaterThan(hits);
            });
            // The API got there with the password; a client without it, reaching the same Service, gets nothing.
            String redis = client.services().inNamespace(namespace).withName(p.name + "-redis").get().getSpec().getClusterIP();
            assertThat(RedisProbe.ping(redis, Names.REDIS_PORT, null)).as(p + ": Redis without the password").startsWith("-NOAUTH");
        }
    }

    @Test
    @Order(2)
    void everyPodRunsNonRootOnAReadOnlyRootWithinItsLimits() {
        for (Platform p : platforms) {
            // Started pods only: one the autoscaler has just added may not have its containers yet.
            List<Pod> pods = client.pods().inNamespace(namespace).withLabel(Labels.INSTANCE, p.name).list().getItems().stream()
                    .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null && PodReadiness.isReady(pod)).toList();
            assertThat(pods).extracting(pod -> pod.getMetadata().getLabels().get(Labels.COMPONENT))
                    .contains("api", "worker", "redis", "mysql");
            for (Pod pod : pods) {
                for (Container container : pod.getSpec().getContainers()) {
                    String where = pod.getMetadata().getName() + "/" + container.getName();
                    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(where).isTrue();
                    Quantity limit = container.getResources().getLimits().get("memory");
                    assertThat(limit).as(where + " memory limit").isNotNull();
                    // One exec per container (each is a process and a round trip): the user, a write to the root file
                    // system, and the memory cgroup's limit (cgroup v1), which must be the limit the pod asked for.
                    Map<String, String> seen = new HashMap<>();
                    String answer;
                    try {
                        answer = exec(pod, container, "sh", "-c", "echo uid=$(id -u); echo write=$( (echo x > /probe) 2>&1 && echo written);"
                                + " echo limit=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)");
                    } catch (IllegalStateException e) {
                        // The autoscaler may remove a pod it added while the JVMs started: a pod gone meanwhile has
                        // nothing to check; any other failure is one.
                        Pod now = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).get();
                        if (now == null || now.getMetadata().getDeletionTimestamp() != null) {
                            continue;
                        }
                        throw e;
                    }
                    answer.lines().filter(line -> line.contains("="))
                            .forEach(line -> seen.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
                    assertThat(seen.get("uid")).as(where + " uid").isNotBlank().isNotEqualTo("0");
                    String log = LocalCluster.kubectl("-n", namespace, "logs", pod.getMetadata().getName(), "-c", container.getName());
                    for (String key : CredentialKeys.PASSWORDS) {
                        assertThat(log).as(where + " never logs " + key).doesNotContain(p.ref.credential(key));
                    }
                    assertThat(seen.get("write")).as(where + " root file system").contains("Read-only file system");
                    assertThat(Long.parseLong(seen.get("limit")))
                            .as(where + " memory cgroup").isEqualTo(limit.getNumericalAmount().longValueExact());
                }
            }
        }
    }

    @Test
    @Order(3)
    void aThirdReplicaIsBootstrappedAndRunningApiPodsReadFromIt() {
        Map<Platform, List<Pod>> apiPodsBefore = new HashMap<>();
        for (Platform p : platforms) {
            apiPodsBefore.put(p, pods(p, "api"));
            p.ref.edit(tt -> tt.getSpec().getMysql().setReplicas(3));
        }
        for (Platform p : platforms) {
            TeachTrack ready = p.ref.awaitStatus(CHANGE, tt -> tt.getStatus().getPhase() == Phase.Ready
                    && tt.getStatus().getMysql().getReadyReplicas() == 3);
            String third = Names.mysqlPod(ready, 3);
            await().atMost(CHANGE).untilAsserted(() -> assertThat(roleOf(third)).as(p + ": the new replica serves reads").isEqualTo("replica"));
            await().atMost(CHANGE).untilAsserted(() -> {
                try (SqlSession replica = root(p, third)) {
                    assertThat(replica.queryLong("SELECT COUNT(*) FROM teachtrack.subjects WHERE id = ?", p.subjectId))
                            .as(p + ": the new replica has the data written before it existed").isEqualTo(1);
                }
            });
            // An API pod that was running before the replica existed connects to it through the replicas' Service.
            Pod running = pods(p, "api").stream().filter(PodReadiness::isReady).filter(now -> apiPodsBefore.get(p).stream()
                    .anyMatch(before -> now.getMetadata().getUid().equals(before.getMetadata().getUid()))).findFirst().orElseThrow();
            PlatformApi api = new PlatformApi(running.getStatus().getPodIP(), Names.API_PORT).login("admin", p.ref.credential("admin-password"));
            await().atMost(CHANGE).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                assertThat(api.get(uncachedPage()).status()).isEqualTo(200);
                try (SqlSession replica = root(p, third)) {
                    assertThat(replica.query("SHOW PROCESSLIST")).as(p + ": connections on the new replica")
                            .anyMatch(row -> Names.APP_USER.equals(row.get("User"))
                                    && String.valueOf(row.get("Host")).startsWith(running.getStatus().getPodIP() + ":"));
                }
            });
        }
    }

    @Test
    @Order(4)
    void aKilledReplicaPodDegradesThePlatformUntilItIsBack() {
        cordon();
        try {
            for (Platform p : platforms) {
                delete(Names.mysqlPod(p.ref.get(), 2));
            }
            awaitDegradedByTheKilledReplica();
        } finally {
            uncordon();
        }
        for (Platform p : platforms) {
            TeachTrack recovered = p.ref.awaitStatus(CHANGE, tt -> tt.getStatus().getPhase() == Phase.Ready
                    && tt.getStatus().getMysql().getReadyReplicas() == 3);
            assertThat(condition(recovered, "Degraded").getStatus()).isEqualTo("False");
        }
    }

    @Test
    @Order(5)
    void aLaggingReplicaLeavesTheReadServiceAndNobodyReadsAStaleRow() throws Exception {
        for (Platform p : platforms) {
            // A replica told to apply everything 30 s late: it keeps replicating, the operator sees nothing to repair.
            delayReplica(p, 30);
        }
        awaitRoleOfFirstReplica(null, "a replica 30 s behind left the read Service %d ms after it started lagging");
        for (Platform p : platforms) {
            String lagging = Names.mysqlPod(p.ref.get(), 1);
            TeachTrack lagged = p.ref.awaitStatus(CHANGE, tt -> "ReplicationLagging".equals(condition(tt, "ReplicationReady").getReason()));
            assertThat(lagged.getStatus().getMysql().getReplicas()).filteredOn(r -> r.getName().equals(lagging))
                    .singleElement().satisfies(r -> assertThat(r.getRole()).isNull());

            PlatformApi writer = apiService(p).login("admin", p.ref.credential("admin-password"));
            p.admin = writer;
            p.reader = createReader(p, writer);
            List<Long> written = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String name = "Written while a replica lags " + i;
                PlatformApi.Response created = writer.post("/api/v1/subjects", Map.of("code", "E2E-LAG-" + i, "name", name));
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                long id = created.body().get("id").asLong();
                written.add(id);
                assertThat(writer.get("/api/v1/subjects/" + id).body().get("name").asText()).as(p + ": the writer reads its own write")
                        .isEqualTo(name);
            }
            // Once every replica in the read Service has applied the writes, another user reads them all, whichever one
            // serves (the lagging replica is out of the Service and must stay out).
            String placeholders = String.join(", ", written.stream().map(id -> "?").toList());
            await().atMost(CHANGE).untilAsserted(() -> {
                for (Pod serving : client.pods().inNamespace(namespace).withLabel(Labels.INSTANCE, p.name)
                        .withLabel(Labels.ROLE, "replica").list().getItems()) {
                    try (SqlSession replica = root(p, serving.getMetadata().getName())) {
                        assertThat(replica.queryLong("SELECT COUNT(*) FROM teachtrack.subjects WHERE id IN (" + placeholders + ")",
                                written.toArray())).isEqualTo(written.size());
                    }
                }
            });
            for (long id : written) {
                assertThat(p.reader.get("/api/v1/subjects/" + id).status()).as(p + ": another user, after the writes").isEqualTo(200);
            }
        }
        for (Platform p : platforms) {
            delayReplica(p, 0);
        }
        awaitRoleOfFirstReplica("replica", "the repaired replica was back in the read Service %d ms after its delay was removed");
        for (Platform p : platforms) {
            p.ref.awaitStatus(CHANGE, tt -> tt.getStatus().getPhase() == Phase.Ready);
        }
    }

    @Test
    @Order(6)
    void aLostPrimaryIsReplacedByFailoverAndWithoutFailoverReadsGoOnWhileWritesWait() throws Exception {
        // MySQL's platform turns automatic failover on and its primary is frozen (the kernel accepts connections, nothing
        // answers them); MariaDB's keeps failover off and its primary pod is killed and kept from coming back (the node
        // is cordoned).
        Platform failingOver = platforms.getFirst();
        Platform waiting = platforms.get(1);
        failingOver.ref.edit(tt -> tt.getSpec().getMysql().getFailover().setEnabled(true));
        failingOver.ref.awaitStatus(CHANGE, tt -> tt.getStatus().getPhase() == Phase.Ready);
        String formerPrimary = Names.mysqlPod(failingOver.ref.get(), 0);
        cordon();
        try {
            frozenPrimary = NodeContainer.of(client.pods().inNamespace(namespace).withName(formerPrimary).get(), "mysql").freeze();
            long frozenAt = System.nanoTime();
            delete(Names.mysqlPod(waiting.ref.get(), 0));

            TeachTrack degraded = waiting.ref.awaitStatus(CHANGE, tt -> tt.getStatus().getPhase() == Phase.Degraded
                    && "PrimaryUnreachable".equals(condition(tt, "DatabaseReady").getReason()));
            assertThat(condition(degraded, "Degraded").getReason()).isEqualTo("PrimaryUnreachable");
            // The API pods stay in their Service: reads go on from the replicas, writes are refused with Retry-After.
            await().atMost(CHANGE).untilAsserted(() -> assertThat(waiting.reader.get(uncachedPage()).status()).isEqualTo(200));
            assertThat(waiting.reader.get("/api/v1/subjects/" + waiting.subjectId).status()).isEqualTo(200);
            PlatformApi.Response refused = waiting.admin.post("/api/v1/subjects", Map.of("code", "E2E-NO-PRIMARY", "name", "no primary"));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
            assertThat(refused.retryAfter()).as("a write without a primary says when to retry").isNotBlank();

            // With failover: a replica is promoted, labelled and reached through the Service; the data written before is there.
            TeachTrack failedOver = failingOver.ref.awaitStatus(CHANGE, tt -> tt.getStatus().getMysql().getLastFailover() != null
                    && formerPrimary.equals(tt.getStatus().getMysql().getLastFailover().getFrom()));
            String newPrimary = failedOver.getStatus().getMysql().getPrimary();
            assertThat(newPrimary).isNotEqualTo(formerPrimary).isEqualTo(failedOver.getStatus().getMysql().getLastFailover().getTo());
            PlatformApi.Response written = await().atMost(CHANGE).until(() -> failingOver.admin.post("/api/v1/subjects",
                    Map.of("code", "E2E-FAILOVER-" + System.nanoTime(), "name", "written after a failover")), r -> r.status() == 201);
            System.out.printf("[figure] e2e (%s): writes answered 201 on the new primary %s %d ms after its primary froze%n",
                    failingOver.engine, newPrimary, (System.nanoTime() - frozenAt) / 1_000_000);
            assertThat(failingOver.admin.get("/api/v1/subjects/" + written.body().get("id").asLong()).body().get("name").asText())
                    .as("the writer reads its own write after the failover").isEqualTo("written after a failover");
            assertThat(roleOf(newPrimary)).isEqualTo("primary");
            assertThat(roleOf(formerPrimary)).as("the frozen primary lost its label").isNotEqualTo("primary");
            try (SqlSession promoted = root(failingOver, newPrimary)) {
                assertThat(promoted.queryLong("SELECT COUNT(*) FROM teachtrack.subjects WHERE id = ? OR code LIKE 'E2E-LAG-%'",
                        failingOver.subjectId)).as("every write acknowledged before the failover").isEqualTo(11);
            }
        } finally {
            thaw();
            uncordon();
        }
        TeachTrack back = waiting.ref.awaitStatus(CHANGE, tt -> tt.getStatus().getPhase() == Phase.Ready);
        assertThat(back.getStatus().getMysql().getPrimary()).isEqualTo(Names.mysqlPod(back, 0));
        try (SqlSession primary = root(waiting, back.getStatus().getMysql().getPrimary())) {
            assertThat(primary.queryLong("SELECT COUNT(*) FROM teachtrack.subjects WHERE code = ?", "E2E-NO-PRIMARY"))
                    .as("a write answered 503 left nothing behind").isZero();
        }
        // Writes come back: the API's pools reconnect to the primary once its label and endpoint are back.
        long returned = System.nanoTime();
        await().atMost(CHANGE).untilAsserted(() -> assertThat(waiting.admin.post("/api/v1/subjects",
                Map.of("code", "E2E-BACK-" + System.nanoTime(), "name", "written after the primary came back")).status()).isEqualTo(201));
        System.out.printf("[figure] e2e (%s): writes answered 201 again %d ms after the TeachTrack was Ready%n", waiting.engine,
                (System.nanoTime() - returned) / 1_000_000);
        // The resumed former primary is fenced and rejoins as a replica, or, if it holds a commit never acknowledged (a
        // heartbeat in flight when it froze), is excluded; then it is rebuilt as docs/replication.md says.
        TeachTrack settled = failingOver.ref.awaitStatus(CHANGE, tt -> tt.getStatus().getMysql().getReplicas().stream()
                .anyMatch(r -> r.getName().equals(formerPrimary) && (ReplicaStates.RUNNING.equals(r.getState())
                        || ReplicaStates.ERRANT_TRANSACTIONS.equals(r.getState()))));
        assertThat(roleOf(formerPrimary)).isNotEqualTo("primary");
        if (settled.getStatus().getMysql().getReplicas().stream()
                .anyMatch(r -> r.getName().equals(formerPrimary) && ReplicaStates.ERRANT_TRANSACTIONS.equals(r.getState()))) {
            System.out.printf("[figure] e2e (%s): the former primary held a commit never acknowledged: excluded, rebuilt%n", failingOver.engine);
            MysqlVolumes.rebuildOnEmptyVolume(client, namespace, formerPrimary, CHANGE);
        }
        failingOver.ref.awaitStatus(CHANGE, tt -> tt.getStatus().getPhase() == Phase.Ready && tt.getStatus().getMysql().getReplicas().stream()
                .allMatch(r -> ReplicaStates.RUNNING.equals(r.getState())));
    }

    @Test
    @Order(7)
    void theMonitoringBundleReadsOnlySeriesTheOperatorAndThePodsExport() {
        List<HasMetadata> bundle = OperatorChart.objects(OperatorChart.render(namespace, MonitoringBundle.ENABLED));
        Set<String> read = new TreeSet<>();
        MonitoringBundle.alerts(bundle).values().forEach(expr -> read.addAll(MonitoringBundle.metricNames(expr)));
        MonitoringBundle.dashboardExpressions(MonitoringBundle.dashboard(bundle)).forEach(expr -> read.addAll(MonitoringBundle.metricNames(expr)));
        assertThat(read).isNotEmpty();
        // After a failover, reads and writes: the operator's per-TeachTrack series and the API's traffic series exist. A pod
        // may be replaced between listing and scraping it: the whole scrape is retried until it holds.
        // A failed scrape is an assertion failure, so that a timeout reports the last one (ignored exceptions are not).
        await().atMost(CHANGE).ignoreExceptionsInstanceOf(KubernetesClientException.class).untilAsserted(() -> {
            Set<String> exported = new TreeSet<>(scrapedNames("the operator", operator::podIp));
            for (Platform p : platforms) {
                for (String component : List.of("api", "worker")) {
                    List<Pod> ready = pods(p, component).stream().filter(PodReadiness::isReady).toList();
                    assertThat(ready).as(p + " " + component).isNotEmpty();
                    for (Pod pod : ready) {
                        exported.addAll(scrapedNames(pod.getMetadata().getName(), () -> pod.getStatus().getPodIP()));
                    }
                }
            }
            assertThat(exported).as("every series the alerts and the dashboard read is exported").containsAll(read);
        });
        System.out.printf("[figure] the monitoring bundle reads %d series names, all exported by the operator and the platform pods%n",
                read.size());
    }

    private static Set<String> scrapedNames(String what, Supplier<String> podIp) {
        try {
            return MonitoringBundle.exportedNames(MonitoringBundle.scrape(podIp.get()));
        } catch (RuntimeException e) {
            throw new AssertionError("scraping " + what + ": " + e, e);
        }
    }

    @Test
    @Order(8)
    void theApiKeepsAnsweringWhileRedisIsDown() {
        cordon();
        try {
            for (Platform p : platforms) {
                delete(pods(p, "redis").getFirst().getMetadata().getName());
            }
            awaitAnswersWithoutRedis();
        } finally {
            uncordon();
        }
        for (Platform p : platforms) {
            TeachTrack cached = p.ref.awaitStatus(CHANGE, tt -> "True".equals(condition(tt, "CacheReady").getStatus())
                    && tt.getStatus().getPhase() == Phase.Ready);
            assertThat(condition(cached, "CacheReady").getReason()).isEqualTo("RedisReady");
            assertThat(apiService(p).login("admin", p.ref.credential("admin-password")).get("/api/v1/subjects/" + p.subjectId).status())
                    .isEqualTo(200);
        }
    }

    @Test
    @Order(9)
    void theApiScalesOutUnderCpuLoadAndBackIn() throws Exception {
        // Two pods at most: the scale-in waits until the new pods' JVMs have started (their start-up CPU counts in the
        // autoscaler's average), and four JVMs starting together on two cores take twice as long as two.
        for (Platform p : platforms) {
            p.ref.edit(tt -> tt.getSpec().getApi().getAutoscaling().setMaxReplicas(2));
        }
        // Idle first: starting JVMs and the earlier tests' traffic may have scaled them out already.
        long settling = System.nanoTime();
        platforms.forEach(PlatformE2EIT::awaitOneApiPod);
        System.out.printf("[figure] e2e: both APIs at one pod %d ms before the load began%n", (System.nanoTime() - settling) / 1_000_000);
        await().atMost(CHANGE).until(() -> platforms.stream().allMatch(p -> autoscaler(p).getSpec().getMaxReplicas() == 2));
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong requests = new AtomicLong();
        ExecutorService load = Executors.newFixedThreadPool(3 * platforms.size());
        try {
            for (Platform p : platforms) {
                PlatformApi api = apiService(p).login("admin", p.ref.credential("admin-password"));
                for (int i = 0; i < 3; i++) {
                    load.submit(() -> {
                        while (loading.get()) {
                            api.get(uncachedPage());
                            requests.incrementAndGet();
                        }
                        return null;
                    });
                }
            }
            long start = System.nanoTime();
            Set<Platform> scaled = ConcurrentHashMap.newKeySet();
            await().atMost(CHANGE).pollInterval(Duration.ofSeconds(2)).until(() -> {
                for (Platform p : platforms) {
                    int desired = autoscaler(p).getStatus().getDesiredReplicas();
                    if (desired > 1 && scaled.add(p)) {
                        System.out.printf("[figure] e2e (%s): the API autoscaler asked for %d pods %d ms into the load (%d requests)%n",
                                p.engine, desired, (System.nanoTime() - start) / 1_000_000, requests.get());
                    }
                }
                return scaled.size() == platforms.size();
            });
            // Scaled out: the autoscaler's decision made the Deployment ask for another pod (its start and readiness are
            // the rollout's business, proven elsewhere; the load stops here so the scale-in can begin).
            await().atMost(CHANGE).until(() -> platforms.stream().allMatch(p -> pods(p, "api").size() > 1));
        } finally {
            loading.set(false);
            load.shutdownNow();
        }
        long idle = System.nanoTime();
        platforms.forEach(PlatformE2EIT::awaitOneApiPod);
        System.out.printf("[figure] e2e: both APIs back to one pod %d ms after the load stopped%n", (System.nanoTime() - idle) / 1_000_000);
        // With the memory target of the sample (80 %): the JVMs that took the load stay under it, so it held no pod.
        for (Platform p : platforms) {
            HorizontalPodAutoscaler hpa = autoscaler(p);
            assertThat(hpa.getSpec().getMetrics()).extracting(m -> m.getResource().getName() + "=" + m.getResource().getTarget().getAverageUtilization())
                    .containsExactly("cpu=70", "memory=80");
            System.out.printf("[figure] e2e (%s): API memory use the autoscaler saw after the load: %s %% of the request%n", p.engine,
                    hpa.getStatus().getCurrentMetrics() == null ? "unknown" : hpa.getStatus().getCurrentMetrics().stream()
                            .filter(m -> m.getResource() != null && "memory".equals(m.getResource().getName()))
                            .map(m -> String.valueOf(m.getResource().getCurrent().getAverageUtilization())).findFirst().orElse("unknown"));
        }
    }

    /**
     * Every password the pods read is changed in the Secret while both APIs take reads and writes: the database accepts
     * the new app password beside the old one, the API and worker pods roll to the new Secret, Redis restarts with its
     * new password, the admin account takes the new admin password, and then the old app password opens nothing. No
     * request fails (each on a connection of its own, as a proxy's upstream connections: see PlatformApi).
     */
    @Test
    @Order(10)
    void passwordsChangedInTheSecretAreRotatedUnderLoadWithoutAFailedRequest() throws Exception {
        CredentialGenerator generator = new CredentialGenerator();
        AtomicLong requests = new AtomicLong();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<RepeatingTask> load = new ArrayList<>();
        Map<Platform, Map<String, String>> old = new HashMap<>();
        Map<Platform, Set<String>> oldPods = new HashMap<>();
        Map<Platform, Set<String>> mysqlPods = new HashMap<>();
        try {
            for (Platform p : platforms) {
                PlatformApi admin = apiService(p).login("admin", p.ref.credential(CredentialKeys.ADMIN_PASSWORD));
                load.add(RepeatingTask.start(p.name + "-reads", () -> call(admin, api -> api.get(uncachedPage()), requests, failures)));
                load.add(RepeatingTask.start(p.name + "-cached-reads", () -> call(admin, api -> api.get("/api/v1/subjects/" + p.subjectId),
                        requests, failures)));
                load.add(RepeatingTask.start(p.name + "-writes", () -> call(admin, api -> api.post("/api/v1/subjects",
                        Map.of("code", "E2E-ROTATION-" + PAGES.incrementAndGet(), "name", "written during a rotation")), requests, failures)));
            }
            await().atMost(CHANGE).until(() -> requests.get() >= 30);
            long rotatedAt = System.nanoTime();
            for (Platform p : platforms) {
                Map<String, String> values = new HashMap<>();
                for (String key : List.of(CredentialKeys.MYSQL_ROOT_PASSWORD, CredentialKeys.MYSQL_APP_PASSWORD, CredentialKeys.MYSQL_REPLICATION_PASSWORD,
                        CredentialKeys.REDIS_PASSWORD, CredentialKeys.ADMIN_PASSWORD)) {
                    values.put(key, p.ref.credential(key));
                }
                old.put(p, values);
                mysqlPods.put(p, pods(p, "mysql").stream().map(pod -> pod.getMetadata().getUid()).collect(Collectors.toSet()));
                oldPods.put(p, Stream.of("api", "worker", "redis").flatMap(c -> pods(p, c).stream()).map(pod -> pod.getMetadata().getName())
                        .collect(Collectors.toSet()));
                client.secrets().inNamespace(namespace).withName(p.name + "-credentials").edit(secret -> {
                    values.keySet().forEach(key -> secret.getData().put(key, Base64.getEncoder().encodeToString(
                            generator.password().getBytes(StandardCharsets.UTF_8))));
                    return secret;
                });
            }
            for (Platform p : platforms) {
                String oldAppPassword = old.get(p).get(CredentialKeys.MYSQL_APP_PASSWORD);
                await().atMost(CHANGE).untilAsserted(() -> {
                    assertThat(Stream.of("api", "worker", "redis").flatMap(c -> pods(p, c).stream()).map(pod -> pod.getMetadata().getName()))
                            .as(p + ": every pod that read the old Secret is gone").doesNotContainAnyElementsOf(oldPods.get(p));
                    for (String pod : List.of(Names.mysqlPod(p.ref.get(), 0), Names.mysqlPod(p.ref.get(), 1))) {
                        assertThat(appLoginError(p, pod, oldAppPassword)).as(p + ": " + pod + " refuses the old app password").isEqualTo(1045);
                        assertThat(appLoginError(p, pod, p.ref.credential(CredentialKeys.MYSQL_APP_PASSWORD))).as(p + ": the new one").isZero();
                    }
                    String primary = Names.mysqlPod(p.ref.get(), 0);
                    assertThat(loginError(p, primary, DatabaseCredentials.REPLICATION_USER, old.get(p).get(CredentialKeys.MYSQL_REPLICATION_PASSWORD)))
                            .as(p + ": the old replication password").isEqualTo(1045);
                    // The root password: set on every server in place (no MySQL pod restarts), then recorded as applied.
                    for (Pod pod : pods(p, "mysql")) {
                        String name = pod.getMetadata().getName();
                        assertThat(loginError(p, name, DatabaseCredentials.ROOT_USER, old.get(p).get(CredentialKeys.MYSQL_ROOT_PASSWORD)))
                                .as(p + ": " + name + " refuses the old root password").isEqualTo(1045);
                        assertThat(loginError(p, name, DatabaseCredentials.ROOT_USER, p.ref.credential(CredentialKeys.MYSQL_ROOT_PASSWORD)))
                                .as(p + ": " + name + " takes the new one").isZero();
                    }
                    assertThat(p.ref.credential(CredentialKeys.MYSQL_ROOT_PASSWORD_APPLIED)).as(p + ": the applied root password recorded")
                            .isEqualTo(p.ref.credential(CredentialKeys.MYSQL_ROOT_PASSWORD));
                });
                System.out.printf("[figure] e2e (%s): passwords changed in the Secret, pods rolled and the old app password discarded"
                        + " %d ms later, under load%n", p.engine, (System.nanoTime() - rotatedAt) / 1_000_000);
            }
        } finally {
            load.forEach(RepeatingTask::close);
        }
        System.out.printf("[figure] e2e: %d requests during the rotations, %d failed%n", requests.get(), failures.size());
        assertThat(failures).as("requests that failed during the rotations").isEmpty();
        for (Platform p : platforms) {
            String redis = client.services().inNamespace(namespace).withName(p.name + "-redis").get().getSpec().getClusterIP();
            assertThat(RedisProbe.ping(redis, Names.REDIS_PORT, p.ref.credential(CredentialKeys.REDIS_PASSWORD))).isEqualTo("+PONG");
            assertThat(RedisProbe.ping(redis, Names.REDIS_PORT, old.get(p).get(CredentialKeys.REDIS_PASSWORD))).startsWith("-WRONGPASS");
            PlatformApi api = apiService(p);
            assertThat(api.post("/api/v1/auth/token", Map.of("username", "admin", "password", old.get(p).get(CredentialKeys.ADMIN_PASSWORD)))
                    .status()).as(p + ": the old admin password").isEqualTo(401);
            api.login("admin", p.ref.credential(CredentialKeys.ADMIN_PASSWORD));
            assertThat(api.get("/api/v1/subjects/" + p.subjectId).status()).isEqualTo(200);
            assertThat(pods(p, "mysql")).as(p + ": no MySQL pod was replaced").extracting(pod -> pod.getMetadata().getUid())
                    .containsExactlyInAnyOrderElementsOf(mysqlPods.get(p));
            // The platform's own view: nothing degraded, every replica replicating (they reconnected with the new
            // replication password), the worker took the new app password too.
            p.ref.awaitStatus(CHANGE, tt -> tt.getStatus().getPhase() == Phase.Ready && tt.getStatus().getMysql().getReplicas().stream()
                    .allMatch(r -> ReplicaStates.RUNNING.equals(r.getState())));
        }
    }

    /** One load request on a new connection: anything but a 2xx answer is a failure. */
    private static void call(PlatformApi caller, Function<PlatformApi, PlatformApi.Response> request, AtomicLong requests,
                             List<String> failures) {
        try {
            PlatformApi.Response response = caller.onNewConnection(request);
            if (response.status() < 200 || response.status() > 299) {
                failures.add(response.status() + " " + response.body());
            }
        } catch (RuntimeException e) {
            failures.add(e + (e.getCause() == null ? "" : " caused by " + e.getCause()));
        }
        requests.incrementAndGet();
        RepeatingTask.pause(Duration.ofMillis(100));
    }

    /** The error code of a login as the app user on a MySQL pod (0: it opened). */
    private static int appLoginError(Platform p, String pod, String password) {
        return loginError(p, pod, Names.APP_USER, password);
    }

    /** The error code of a login on a MySQL pod (0: it opened). */
    private static int loginError(Platform p, String pod, String user, String password) {
        String ip = client.pods().inNamespace(namespace).withName(pod).get().getStatus().getPodIP();
        try (SqlSession ignored = SqlSession.open(ip, Names.MYSQL_PORT, user, password, SQL_TIMEOUT, SQL_TIMEOUT)) {
            return 0;
        } catch (SQLException e) {
            return e.getErrorCode();
        }
    }

    @Test
    @Order(11)
    void deletingTheTeachTrackRemovesEveryChildButTheVolumesAndTheirCredentials() {
        for (Platform p : platforms) {
            client.resources(TeachTrack.class).inNamespace(namespace).withName(p.name).delete();
        }
        for (Platform p : platforms) {
            await().atMost(CHANGE).untilAsserted(() -> {
                assertThat(p.ref.get()).isNull();
                assertThat(client.apps().deployments().inNamespace(namespace).withLabel(Labels.INSTANCE, p.name).list().getItems()).isEmpty();
                assertThat(client.apps().statefulSets().inNamespace(namespace).withLabel(Labels.INSTANCE, p.name).list().getItems()).isEmpty();
                assertThat(client.services().inNamespace(namespace).withLabel(Labels.INSTANCE, p.name).list().getItems()).isEmpty();
                assertThat(client.pods().inNamespace(namespace).withLabel(Labels.INSTANCE, p.name).list().getItems()).isEmpty();
            });
            // The databases' volumes are retained on purpose (StatefulSet retention policy Retain): nothing is lost. So is
            // the Secret that opens them, owned by the volumes now (names only: a failure message shows no password).
            assertThat(client.persistentVolumeClaims().inNamespace(namespace).withLabel(Labels.INSTANCE, p.name).list().getItems())
                    .hasSize(4);
            await().atMost(CHANGE).untilAsserted(() -> assertThat(client.secrets().inNamespace(namespace).withLabel(Labels.INSTANCE, p.name)
                    .list().getItems()).singleElement().satisfies(secret -> {
                        assertThat(secret.getMetadata().getName()).isEqualTo(p.name + "-credentials");
                        assertThat(secret.getMetadata().getOwnerReferences()).extracting(OwnerReference::getKind)
                                .as("owners").containsOnly("PersistentVolumeClaim").hasSize(4);
                    }));
        }
    }

    private static void awaitDegradedByTheKilledReplica() {
        for (Platform p : platforms) {
            String replica = Names.mysqlPod(p.ref.get(), 2);
            TeachTrack degraded = p.ref.awaitStatus(CHANGE, tt -> tt.getStatus().getPhase() == Phase.Degraded);
            Condition reason = condition(degraded, "Degraded");
            assertThat(reason.getStatus()).isEqualTo("True");
            assertThat(reason.getReason()).isEqualTo("ReplicaUnreachable");
            assertThat(reason.getMessage()).contains(replica);
            assertThat(condition(degraded, "Ready").getStatus()).isEqualTo("False");
            // Reads still work: the replica is out of the Service, the others serve.
            assertThat(apiService(p).login("admin", p.ref.credential("admin-password")).get("/api/v1/subjects/" + p.subjectId).status())
                    .isEqualTo(200);
        }
    }

    private static void awaitAnswersWithoutRedis() {
        for (Platform p : platforms) {
            PlatformApi api = apiService(p).login("admin", p.ref.credential("admin-password"));
            TeachTrack noCache = p.ref.awaitStatus(CHANGE, tt -> "False".equals(condition(tt, "CacheReady").getStatus()));
            assertThat(condition(noCache, "CacheReady").getReason()).isEqualTo("RedisNotReady");

            assertThat(api.get("/api/v1/subjects/" + p.subjectId).status()).as(p + ": a read without Redis").isEqualTo(200);
            PlatformApi.Response created = api.post("/api/v1/subjects", Map.of("code", "E2E-NO-CACHE", "name", "Written while Redis is down"));
            assertThat(created.status()).as(p + ": a write without Redis: " + created).isEqualTo(201);
            assertThat(api.get("/api/v1/subjects/" + created.body().get("id").asLong()).body().get("name").asText())
                    .isEqualTo("Written while Redis is down");
        }
    }

    private static void awaitOneApiPod(Platform p) {
        await().atMost(CHANGE).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            HorizontalPodAutoscaler status = autoscaler(p);
            assertThat(status.getStatus().getCurrentReplicas()).as("%s: one API pod without load: %s; %s", p,
                    status.getStatus().getCurrentMetrics(), LocalCluster.kubectl("-n", namespace, "top", "pods", "--no-headers")).isEqualTo(1);
            assertThat(pods(p, "api")).hasSize(1);
        });
    }

    /** With the node cordoned, a deleted pod's replacement stays Pending until {@link #uncordon()}. */
    private static void cordon() {
        LocalCluster.kubectl("cordon", nodeName());
    }

    private static void thaw() {
        if (frozenPrimary != null) {
            frozenPrimary.close();
            frozenPrimary = null;
        }
    }

    private static void uncordon() {
        LocalCluster.kubectlResult("uncordon", nodeName());
    }

    private static void delete(String pod) {
        LocalCluster.kubectl("-n", namespace, "delete", "pod", pod, "--grace-period=0", "--force");
    }

    private static String nodeName() {
        return client.nodes().list().getItems().getFirst().getMetadata().getName();
    }

    private static HorizontalPodAutoscaler autoscaler(Platform p) {
        return client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).withName(p.name + "-api").get();
    }

    private static PlatformApi apiService(Platform p) {
        String clusterIp = client.services().inNamespace(namespace).withName(p.name + "-api").get().getSpec().getClusterIP();
        return new PlatformApi(clusterIp, Names.API_PORT);
    }

    /** One Ready API pod, called at its pod IP: its metrics are the metrics of the requests sent to it. */
    private static PlatformApi apiOfAReadyPod(Platform p) {
        Pod pod = await().atMost(CHANGE).until(() -> pods(p, "api").stream().filter(PodReadiness::isReady).findFirst().orElse(null),
                found -> found != null);
        return new PlatformApi(pod.getStatus().getPodIP(), Names.API_PORT).login("admin", p.ref.credential("admin-password"));
    }

    private static final String READER_PASSWORD = "reader-e2e-password-51c3";

    /** A teacher account that only reads: no write of theirs that a replica could miss. */
    private static PlatformApi createReader(Platform p, PlatformApi admin) {
        PlatformApi.Response teacher = admin.post("/api/v1/teachers", Map.of("name", "Reader of " + p.name, "email", "reader@" + p.name + ".test"));
        assertThat(teacher.status()).as(teacher.toString()).isEqualTo(201);
        PlatformApi.Response user = admin.post("/api/v1/users", Map.of("username", "reader", "password", READER_PASSWORD, "role", "teacher",
                "teacherId", teacher.body().get("id").asLong()));
        assertThat(user.status()).as(user.toString()).isEqualTo(201);
        return apiService(p).login("reader", READER_PASSWORD);
    }

    /** Waits, for both platforms at once, until pod 1 carries {@code role} (null: none), and reports when each did. */
    private static void awaitRoleOfFirstReplica(String role, String figure) {
        long start = System.nanoTime();
        Set<Platform> done = ConcurrentHashMap.newKeySet();
        await().atMost(CHANGE).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (Platform p : platforms) {
                if (!done.contains(p) && Objects.equals(role, roleOf(Names.mysqlPod(p.ref.get(), 1)))) {
                    done.add(p);
                    System.out.printf("[figure] e2e (%s): " + figure + "%n", p.engine, (System.nanoTime() - start) / 1_000_000);
                }
            }
            return done.size() == platforms.size();
        });
    }

    /** Stop, change, start: the operator may restart the replica in between, so the three run again until they pass. */
    private static void delayReplica(Platform p, int seconds) {
        await().atMost(CHANGE).untilAsserted(() -> {
            try (SqlSession replica = root(p, Names.mysqlPod(p.ref.get(), 1))) {
                for (String statement : testEngine(p).delay(seconds)) {
                    replica.execute(statement);
                }
            }
        });
    }

    private static DatabaseEngine testEngine(Platform p) {
        return p.engine == MysqlEngine.MariaDB ? DatabaseEngine.MARIADB : DatabaseEngine.MYSQL;
    }

    private static String roleOf(String pod) {
        return client.pods().inNamespace(namespace).withName(pod).get().getMetadata().getLabels().get(Labels.ROLE);
    }

    private static List<Pod> pods(Platform p, String component) {
        return client.pods().inNamespace(namespace).withLabel(Labels.INSTANCE, p.name).withLabel(Labels.COMPONENT, component)
                .list().getItems().stream().filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).toList();
    }

    /** A page of subjects nobody asked for yet: its cache key is new, so the API reads it from a database. */
    private static String uncachedPage() {
        return "/api/v1/subjects?limit=100&after=" + PAGES.incrementAndGet();
    }

    private static String exec(Pod pod, Container container, String... command) {
        List<String> args = new ArrayList<>(List.of("-n", namespace, "exec", pod.getMetadata().getName(), "-c", container.getName(), "--"));
        args.addAll(List.of(command));
        return LocalCluster.kubectl(args.toArray(String[]::new));
    }

    private static SqlSession root(Platform p, String pod) throws SQLException {
        String ip = client.pods().inNamespace(namespace).withName(pod).get().getStatus().getPodIP();
        return SqlSession.open(ip, Names.MYSQL_PORT, "root", p.ref.credential("mysql-root-password"), SQL_TIMEOUT, SQL_TIMEOUT);
    }
}
