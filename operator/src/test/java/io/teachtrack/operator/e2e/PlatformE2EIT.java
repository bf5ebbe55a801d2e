package io.teachtrack.operator.e2e;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.operator.api.v1alpha1.Phase;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.mysql.SqlSession;
import io.teachtrack.operator.testing.LocalCluster;
import io.teachtrack.operator.testing.LocalPlatform;
import io.teachtrack.operator.testing.OperatorFiles;
import io.teachtrack.operator.testing.Samples;
import io.teachtrack.operator.testing.TeachTrackRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.teachtrack.operator.testing.TeachTrackRef.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end on the local cluster: the production sample as committed (MySQL) goes from {@code kubectl apply} to a
 * platform whose every pod is a real process: MySQL 9.7 servers from the image replicating, Redis, and the API
 * image's jar serving requests. Then it is scaled, broken and deleted, and the status follows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformE2EIT {

    private static final String NAME = "school-prod";
    private static final Duration START = Duration.ofMinutes(6);
    private static final Duration CHANGE = Duration.ofMinutes(3);
    private static final Duration SQL_TIMEOUT = Duration.ofSeconds(5);

    private static KubernetesClient client;
    private static LocalPlatform platform;
    private static String namespace;
    private static TeachTrackRef school;
    /** The subject created through the API in the first test. */
    private static long subjectId;

    @BeforeAll
    static void startPlatform() {
        org.awaitility.Awaitility.ignoreExceptionsByDefault();
        org.awaitility.Awaitility.setDefaultPollInterval(Duration.ofSeconds(1));
        client = LocalCluster.client();
        namespace = LocalCluster.createNamespace("e2e");
        platform = LocalPlatform.start(namespace, OperatorFiles.root().resolve("operator/target/e2e/" + namespace), Duration.ofHours(2));
        school = new TeachTrackRef(client, namespace, NAME);
    }

    @AfterAll
    static void stopPlatform() {
        org.awaitility.Awaitility.reset();
        if (platform != null) {
            platform.close();
        }
        LocalCluster.deleteNamespace(namespace);
    }

    @Test
    @Order(1)
    void productionSampleServesWritesFromThePrimaryAndReadsFromAReplica() throws Exception {
        TeachTrack sample = Samples.production(namespace, MysqlEngine.MySQL);
        long start = System.nanoTime();
        client.resource(sample).create();
        TeachTrack ready = school.awaitStatus(START, tt -> tt.getStatus().getPhase() == Phase.Ready);
        System.out.printf("[figure] e2e: production sample READY %d ms after apply (4 API + 2 worker JVMs, 3 MySQL 9.7 servers, Redis)%n",
                (System.nanoTime() - start) / 1_000_000);
        for (String type : List.of("Ready", "DatabaseReady", "ReplicationReady", "CacheReady", "ApiReady", "WorkersReady")) {
            assertThat(condition(ready, type).getStatus()).as(type).isEqualTo("True");
        }
        assertThat(platform.pods().runningPods()).hasSize(10);

        PlatformApi api = apiOfAReadyPod().login("admin", school.credential("admin-password"));
        PlatformApi.Response created = api.post("/api/v1/subjects", Map.of("code", "E2E-PHYSICS", "name", "Physics, end to end"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        subjectId = created.body().get("id").asLong();
        long writtenAt = System.currentTimeMillis();

        try (SqlSession primary = root(Names.primaryPod(ready))) {
            assertThat(primary.queryLong("SELECT COUNT(*) FROM teachtrack.subjects WHERE id = ?", subjectId))
                    .as("the write is on the primary").isEqualTo(1);
        }
        // Once every replica has applied a heartbeat written after the write, the writer's own reads may use them.
        await().atMost(CHANGE).untilAsserted(() -> {
            for (String replica : List.of(Names.replicaPod(ready, 0), Names.replicaPod(ready, 1))) {
                try (SqlSession session = root(replica)) {
                    assertThat(session.queryLong("SELECT COUNT(*) FROM teachtrack.subjects WHERE id = ?", subjectId)).isEqualTo(1);
                    assertThat(session.queryLong("SELECT ts FROM teachtrack.heartbeat WHERE id = 1")).isGreaterThan(writtenAt + 500);
                }
            }
        });
        Thread.sleep(1_000); // the pod's lag monitor probes every 250 ms

        // Creating a subject reads it back through the cache, so by id it is cached already; the list was invalidated
        // by the write, so its next read misses and loads from a replica that has applied the write.
        double replicaReads = api.counter("teachtrack_db_routes_total", "target=\"replica\"");
        double hits = api.counter("teachtrack_cache_requests_total", "result=\"hit\"");
        PlatformApi.Response first = api.get("/api/v1/subjects?limit=100");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("items").findValuesAsText("code")).contains("E2E-PHYSICS");
        assertThat(api.counter("teachtrack_db_routes_total", "target=\"replica\"")).as("the first read went to a replica; routes:\n%s",
                api.metricLines("teachtrack_db_routes_total")).isEqualTo(replicaReads + 1);
        PlatformApi.Response second = api.get("/api/v1/subjects?limit=100");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(api.counter("teachtrack_cache_requests_total", "result=\"hit\"")).as("the second read came from Redis")
                .isEqualTo(hits + 1);
        assertThat(api.counter("teachtrack_db_routes_total", "target=\"replica\"")).isEqualTo(replicaReads + 1);
        assertThat(api.get("/api/v1/subjects/" + subjectId).body().get("name").asText()).isEqualTo("Physics, end to end");
    }

    @Test
    @Order(2)
    void aThirdReplicaIsBootstrappedAndCatchesUp() throws Exception {
        school.edit(tt -> tt.getSpec().getMysql().setReplicas(3));
        TeachTrack ready = school.awaitStatus(CHANGE, tt -> tt.getStatus().getPhase() == Phase.Ready
                && tt.getStatus().getMysql().getReadyReplicas() == 3);
        assertThat(ready.getStatus().getMysql().getReplicas()).extracting(r -> r.getName() + "=" + r.getState())
                .containsExactly(NAME + "-mysql-replica-0=Running", NAME + "-mysql-replica-1=Running", NAME + "-mysql-replica-2=Running");
        assertThat(platform.pods().runningPods()).contains(Names.replicaPod(ready, 2));
        await().atMost(CHANGE).untilAsserted(() -> {
            try (SqlSession replica = root(Names.replicaPod(ready, 2))) {
                assertThat(replica.queryLong("SELECT COUNT(*) FROM teachtrack.subjects WHERE id = ?", subjectId))
                        .as("the new replica has the data written before it existed").isEqualTo(1);
            }
        });
    }

    @Test
    @Order(3)
    void aKilledReplicaServerDegradesThePlatformUntilItRestarts() {
        String replica = NAME + "-mysql-replica-1";
        platform.pods().hold(replica);
        TeachTrack degraded = school.awaitStatus(CHANGE, tt -> tt.getStatus().getPhase() == Phase.Degraded);
        Condition reason = condition(degraded, "Degraded");
        assertThat(reason.getStatus()).isEqualTo("True");
        assertThat(reason.getReason()).isEqualTo("ReplicaUnreachable");
        assertThat(reason.getMessage()).contains(replica);
        assertThat(condition(degraded, "Ready").getStatus()).isEqualTo("False");
        // Reads still work: the API routes around the dead replica.
        assertThat(apiOfAReadyPod().login("admin", school.credential("admin-password")).get("/api/v1/subjects/" + subjectId).status())
                .isEqualTo(200);

        platform.pods().release(replica);
        TeachTrack recovered = school.awaitStatus(CHANGE, tt -> tt.getStatus().getPhase() == Phase.Ready);
        assertThat(condition(recovered, "Degraded").getStatus()).isEqualTo("False");
        assertThat(recovered.getStatus().getMysql().getReadyReplicas()).isEqualTo(3);
    }

    @Test
    @Order(4)
    void theApiKeepsAnsweringWhileRedisIsDown() {
        String redis = pods(Labels.COMPONENT, "redis").getFirst().getMetadata().getName();
        PlatformApi api = apiOfAReadyPod().login("admin", school.credential("admin-password"));
        platform.pods().hold(redis);
        TeachTrack noCache = school.awaitStatus(CHANGE, tt -> "False".equals(condition(tt, "CacheReady").getStatus()));
        assertThat(condition(noCache, "CacheReady").getReason()).isEqualTo("RedisNotReady");

        assertThat(api.get("/api/v1/subjects/" + subjectId).status()).as("a read without Redis").isEqualTo(200);
        PlatformApi.Response created = api.post("/api/v1/subjects", Map.of("code", "E2E-NO-CACHE", "name", "Written while Redis is down"));
        assertThat(created.status()).as("a write without Redis: " + created).isEqualTo(201);
        assertThat(api.get("/api/v1/subjects/" + created.body().get("id").asLong()).body().get("name").asText())
                .isEqualTo("Written while Redis is down");

        platform.pods().release(redis);
        TeachTrack cached = school.awaitStatus(CHANGE, tt -> "True".equals(condition(tt, "CacheReady").getStatus())
                && tt.getStatus().getPhase() == Phase.Ready);
        assertThat(condition(cached, "CacheReady").getReason()).isEqualTo("RedisReady");
        assertThat(api.get("/api/v1/subjects/" + subjectId).status()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void deletingTheTeachTrackRemovesItsChildrenAndProcesses() {
        client.resources(TeachTrack.class).inNamespace(namespace).withName(NAME).delete();
        await().atMost(CHANGE).untilAsserted(() -> {
            assertThat(school.get()).isNull();
            assertThat(client.apps().deployments().inNamespace(namespace).withLabel(Labels.INSTANCE, NAME).list().getItems()).isEmpty();
            assertThat(client.apps().statefulSets().inNamespace(namespace).withLabel(Labels.INSTANCE, NAME).list().getItems()).isEmpty();
            assertThat(client.services().inNamespace(namespace).withLabel(Labels.INSTANCE, NAME).list().getItems()).isEmpty();
            assertThat(client.secrets().inNamespace(namespace).withLabel(Labels.INSTANCE, NAME).list().getItems()).isEmpty();
            assertThat(client.pods().inNamespace(namespace).withLabel(Labels.INSTANCE, NAME).list().getItems()).isEmpty();
            assertThat(platform.pods().runningPods()).isEmpty();
        });
        // The databases' volumes are retained on purpose (StatefulSet retention policy Retain): nothing is lost.
        assertThat(client.persistentVolumeClaims().inNamespace(namespace).withLabel(Labels.INSTANCE, NAME).list().getItems()).hasSize(4);
    }

    /** An API pod that is Ready and whose process answers its readiness probe now (kwok may mark a pod Ready first). */
    private static PlatformApi apiOfAReadyPod() {
        Pod pod = await().atMost(CHANGE).pollInterval(Duration.ofMillis(200)).until(() -> pods(Labels.COMPONENT, "api").stream()
                .filter(p -> p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .filter(p -> platform.pods().serving(p.getMetadata().getName()))
                .findFirst(), Optional::isPresent).orElseThrow();
        return new PlatformApi(pod.getStatus().getPodIP(), Names.API_PORT);
    }

    private static List<Pod> pods(String label, String value) {
        return client.pods().inNamespace(namespace).withLabel(Labels.INSTANCE, NAME).withLabel(label, value).list().getItems();
    }

    private static SqlSession root(String pod) throws SQLException {
        return SqlSession.open(platform.pods().podIp(pod), Names.MYSQL_PORT, "root", school.credential("mysql-root-password"),
                SQL_TIMEOUT, SQL_TIMEOUT);
    }
}
