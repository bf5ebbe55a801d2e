package io.teachtrack.operator.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.operator.api.v1alpha1.Phase;
import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.api.v1alpha1.SwitchoverStatus;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.mysql.Dialect;
import io.teachtrack.operator.mysql.SqlSession;
import io.teachtrack.operator.replication.ReplicaStates;
import io.teachtrack.operator.testing.ClusterImages;
import io.teachtrack.operator.testing.CommitSampler;
import io.teachtrack.operator.testing.MysqlVolumes;
import io.teachtrack.operator.testing.NodeContainer;
import io.teachtrack.operator.testing.OperatorRelease;
import io.teachtrack.operator.testing.PlatformApi;
import io.teachtrack.operator.testing.PodReadiness;
import io.teachtrack.operator.testing.RepeatingTask;
import io.teachtrack.operator.testing.Samples;
import io.teachtrack.operator.testing.TeachTrackRef;
import org.awaitility.core.ConditionTimeoutException;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static io.teachtrack.operator.testing.ClusterWaits.await;

/**
 * One TeachTrack of benchmark B5 on the real node, with the operator's defaults (semi-sync, failover after 10 s),
 * and the faults injected into it: each run starts from a healthy platform, writes steadily through the API,
 * injects the fault into the primary, waits until writes are acknowledged again and the platform has settled, then
 * checks every acknowledged write on the primary.
 */
final class FaultedPlatform {

    private static final Duration HEALTHY = Duration.ofMinutes(10);
    private static final Duration RECOVERY = Duration.ofMinutes(6);
    private static final Duration SQL_TIMEOUT = Duration.ofSeconds(5);
    /** How far before the fault, and after writes came back, the reader's ids are checked. */
    private static final Duration AROUND_THE_FAULT = Duration.ofSeconds(2);
    /** Longer than a replica's lag budget, far shorter than the cache's TTL. */
    private static final Duration CACHE_CHECK = Duration.ofSeconds(20);
    /** Longer than any timeout of the API's own: the bench sees what the API answers, not its own impatience. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(90);
    private static final int WRITES_BEFORE_THE_FAULT = 20;
    private static final int WRITES_AFTER_SETTLING = 10;

    private final KubernetesClient client;
    private final String namespace;
    private final OperatorRelease operator;
    private final MysqlEngine engine;
    private final Dialect dialect;
    private final TeachTrackRef ref;
    private String firstImage;
    private final String secondImage;

    FaultedPlatform(KubernetesClient client, String namespace, OperatorRelease operator, MysqlEngine engine) {
        this.client = client;
        this.namespace = namespace;
        this.operator = operator;
        this.engine = engine;
        this.dialect = Dialect.of(engine);
        String name = "b5-" + engine.name().toLowerCase(Locale.ROOT);
        this.ref = new TeachTrackRef(client, namespace, name);
        this.secondImage = "localhost/teachtrack/" + engine.name().toLowerCase(Locale.ROOT) + ":b5-rollout";
    }

    MysqlEngine engine() {
        return engine;
    }

    /** The small sample with one API pod (the faults are the database's; a second JVM would only add noise). */
    void create() {
        TeachTrack sample = Samples.small(namespace, engine);
        sample.getMetadata().setName(ref.name());
        sample.getSpec().getApi().getAutoscaling().setMaxReplicas(1);
        client.resource(sample).create();
    }

    FaultOutcome run(Fault fault, int run) throws Exception {
        awaitHealthy();
        String primary = ref.get().getStatus().getMysql().getPrimary();
        String rootPassword = ref.credential("mysql-root-password");
        String adminPassword = ref.credential("admin-password");
        try (CommitSampler sampler = CommitSampler.start(this::servers, rootPassword, dialect);
             AcknowledgedWrites writes = AcknowledgedWrites.start(() -> apiService().login("admin", adminPassword),
                     "B5-%s-%d".formatted(engine == MysqlEngine.MySQL ? "M" : "D", System.nanoTime() % 1_000_000_000L));
             FrontierReader reader = FrontierReader.start(() -> apiService().login("admin", adminPassword), writes::newestAcknowledgedId,
                     ref.name())) {
            await().atMost(HEALTHY).until(() -> writes.acks().size() >= WRITES_BEFORE_THE_FAULT);
            long faultAt = System.nanoTime();
            inject(fault, primary, faultAt, writes);
            TeachTrack settled = awaitSettled(primary);
            long settledAt = System.nanoTime();
            await().atMost(RECOVERY).until(() -> writes.acknowledgedAfter(settledAt) >= WRITES_AFTER_SETTLING);
            writes.close();
            reader.close();
            sampler.close();
            String primaryAfter = settled.getStatus().getMysql().getPrimary();
            int lost = missingOnThePrimary(writes, primaryAfter, rootPassword);
            // The rows in flight when the fault struck, and the frontier while writes were refused.
            long backAt = writes.firstAcknowledgedAfter(faultAt);
            Set<Long> readAround = reader.idsReadBetween(faultAt - AROUND_THE_FAULT.toNanos(), backAt + AROUND_THE_FAULT.toNanos());
            List<String> disagreements = cacheDisagreements(readAround, primaryAfter, rootPassword, adminPassword);
            return new FaultOutcome(engine, fault, run, writes.longestGapAround(faultAt), writes.acks().size(), lost,
                    sampler.splitBrainSamples(), sampler.fencingSamples(), sampler.samples(), primary, primaryAfter,
                    formerPrimary(settled, primary),
                    writes.refusals(), readAround.size(), disagreements, null);
        }
    }

    /**
     * Every id read through the API around the fault, asked again now: the API must answer what the primary holds (the
     * row's code, or 404). A replica may briefly lag, so a difference must last past {@link #CACHE_CHECK}; a value
     * cached from a lost write would last the cache's TTL (minutes).
     */
    private List<String> cacheDisagreements(Set<Long> ids, String primary, String rootPassword, String adminPassword) {
        if (ids.isEmpty()) {
            return List.of();
        }
        PlatformApi api = apiService().login("admin", adminPassword);
        List<String> disagreements = new ArrayList<>();
        try {
            await().atMost(CACHE_CHECK).pollInterval(Duration.ofSeconds(1)).until(() -> {
                disagreements.clear();
                Map<Long, String> held = codesOnThePrimary(ids, primary, rootPassword);
                for (long id : ids) {
                    PlatformApi.Response answer = answerWithinTheRateLimit(api, "/api/v1/subjects/" + id);
                    String answered = answer.status() == 200 ? answer.body().get("code").asText() : answer.status() == 404 ? null : "HTTP " + answer.status();
                    if (!Objects.equals(answered, held.get(id))) {
                        disagreements.add("id %d: API %s, primary %s".formatted(id, answered == null ? "404" : answered,
                                held.containsKey(id) ? held.get(id) : "no row"));
                    }
                }
                return disagreements.isEmpty();
            });
        } catch (ConditionTimeoutException e) {
            // Reported in the outcome: the run's table row shows them, and the bench fails on any.
        }
        return List.copyOf(disagreements);
    }

    /** The check reads far faster than any client: a 429 waits out its Retry-After and asks again. */
    private static PlatformApi.Response answerWithinTheRateLimit(PlatformApi api, String path) {
        PlatformApi.Response answer = api.get(path);
        for (int attempt = 0; answer.status() == 429 && attempt < 30; attempt++) {
            RepeatingTask.pause(Duration.ofSeconds(answer.retryAfter() == null ? 1 : Long.parseLong(answer.retryAfter())));
            answer = api.get(path);
        }
        return answer;
    }

    private Map<Long, String> codesOnThePrimary(Set<Long> ids, String primary, String rootPassword) throws SQLException {
        Map<Long, String> codes = new HashMap<>();
        String placeholders = String.join(", ", Collections.nCopies(ids.size(), "?"));
        try (SqlSession session = rootSession(primary, rootPassword)) {
            for (Map<String, Object> row : session.query("SELECT id, code FROM teachtrack.subjects WHERE id IN (" + placeholders + ")",
                    ids.toArray())) {
                codes.put(((Number) row.get("id")).longValue(), (String) row.get("code"));
            }
        }
        return codes;
    }

    /** Injects the fault and returns once writes are acknowledged again after it (and a lasting fault was healed). */
    private void inject(Fault fault, String primary, long faultAt, AcknowledgedWrites writes) {
        switch (fault) {
            case KILL -> NodeContainer.of(pod(primary), "mysql").kill();
            case DELETE -> {
                // Writes go on while the server shuts down gracefully: they count as back only once the pod is gone.
                String uid = pod(primary).getMetadata().getUid();
                client.pods().inNamespace(namespace).withName(primary).delete();
                await().atMost(RECOVERY).until(() -> {
                    Pod now = client.pods().inNamespace(namespace).withName(primary).get();
                    return now == null || !now.getMetadata().getUid().equals(uid);
                });
                long goneAt = System.nanoTime();
                await().atMost(RECOVERY).until(() -> writes.acknowledgedAfter(goneAt) > 0);
            }
            case FREEZE -> {
                try (NodeContainer.Frozen frozen = NodeContainer.of(pod(primary), "mysql").freeze()) {
                    pauseUntil(faultAt);
                }
            }
            case PARTITION -> {
                List<String> peers = new ArrayList<>(servers().stream().filter(s -> !s.name().equals(primary)).map(CommitSampler.Server::host).toList());
                peers.add(operator.podIp());
                try (NodeContainer.Partition partition = NodeContainer.of(pod(primary), "mysql").cutOffFrom(peers)) {
                    pauseUntil(faultAt);
                }
            }
            case SWITCHOVER -> switchover(primary);
            case ROLLOUT -> rollout();
        }
        await().atMost(RECOVERY).until(() -> writes.acknowledgedAfter(faultAt) > 0);
    }

    private void switchover(String primary) {
        String target = ref.get().getStatus().getMysql().getReplicas().stream().map(ReplicaStatus::getName).filter(n -> !n.equals(primary))
                .max(String::compareTo).orElseThrow();
        annotateSwitchover(target);
        SwitchoverStatus result = await().atMost(RECOVERY).until(() -> ref.get().getStatus().getMysql().getLastSwitchover(),
                s -> s != null && target.equals(s.getRequest()) && s.getResult() != null);
        annotateSwitchover(null);
        if (!"Completed".equals(result.getResult())) {
            throw new IllegalStateException("switchover to " + target + ": " + result.getResult() + ": " + result.getMessage());
        }
    }

    private void annotateSwitchover(String target) {
        ref.edit(tt -> {
            Map<String, String> annotations = new HashMap<>(Objects.requireNonNullElse(tt.getMetadata().getAnnotations(), Map.of()));
            if (target == null) {
                annotations.remove(Labels.SWITCHOVER_ANNOTATION);
            } else {
                annotations.put(Labels.SWITCHOVER_ANNOTATION, target);
            }
            tt.getMetadata().setAnnotations(annotations);
        });
    }

    /** Alternates the database image between the one the platform started with and a second name for it. */
    private void rollout() {
        if (firstImage == null) {
            firstImage = pod(Names.mysqlPod(ref.get(), 0)).getSpec().getContainers().getFirst().getImage();
            ClusterImages.tag(firstImage, secondImage);
        }
        String current = pod(Names.mysqlPod(ref.get(), 0)).getSpec().getContainers().getFirst().getImage();
        String next = current.equals(secondImage) ? firstImage : secondImage;
        ref.edit(tt -> tt.getSpec().getMysql().setImage(next));
        ref.awaitStatus(RECOVERY.multipliedBy(2), tt -> tt.getStatus().getPhase() == Phase.Ready && mysqlPods().stream()
                .allMatch(pod -> pod.getSpec().getContainers().getFirst().getImage().equals(next) && PodReadiness.isReady(pod)));
    }

    /**
     * Until the platform has a primary again, ready and labelled, and the former one is settled: the primary again, a
     * running replica, or excluded with its errant transactions. Never a second primary: the sampler checks that
     * throughout.
     */
    private TeachTrack awaitSettled(String formerPrimary) {
        return await().atMost(RECOVERY).until(ref::get, tt -> {
            if (tt.getStatus() == null || tt.getStatus().getMysql() == null || tt.getStatus().getMysql().getPrimary() == null) {
                return false;
            }
            Pod primary = client.pods().inNamespace(namespace).withName(tt.getStatus().getMysql().getPrimary()).get();
            if (primary == null || !PodReadiness.isReady(primary) || !"primary".equals(primary.getMetadata().getLabels().get(Labels.ROLE))) {
                return false;
            }
            List<ReplicaStatus> replicas = tt.getStatus().getMysql().getReplicas();
            boolean formerSettled = formerPrimary.equals(tt.getStatus().getMysql().getPrimary()) || replicas.stream()
                    .anyMatch(r -> r.getName().equals(formerPrimary) && (ReplicaStates.RUNNING.equals(r.getState())
                            || ReplicaStates.ERRANT_TRANSACTIONS.equals(r.getState())));
            return formerSettled && replicas.size() == tt.getSpec().getMysql().getReplicas() && replicas.stream()
                    .allMatch(r -> ReplicaStates.RUNNING.equals(r.getState()) || ReplicaStates.ERRANT_TRANSACTIONS.equals(r.getState()));
        });
    }

    private static String formerPrimary(TeachTrack settled, String former) {
        if (former.equals(settled.getStatus().getMysql().getPrimary())) {
            return "primary again";
        }
        return settled.getStatus().getMysql().getReplicas().stream().filter(r -> r.getName().equals(former)).findFirst()
                .map(r -> ReplicaStates.RUNNING.equals(r.getState()) ? "replica" : "excluded").orElse("missing");
    }

    /**
     * Ready with every replica running and caught up to within a second (the heartbeat's own granularity; a switchover
     * to a replica more than 2 s behind is rejected); a former primary excluded by an earlier run is rebuilt first, as the README
     * tells users: its claim and its pod deleted, the StatefulSet recreates it empty and it replicates from the primary.
     */
    void awaitHealthy() {
        TeachTrack now = ref.get();
        if (now.getStatus() != null && now.getStatus().getMysql() != null) {
            now.getStatus().getMysql().getReplicas().stream()
                    .filter(r -> ReplicaStates.ERRANT_TRANSACTIONS.equals(r.getState()) || ReplicaStates.NEEDS_SEEDING.equals(r.getState()))
                    .forEach(r -> MysqlVolumes.rebuildOnEmptyVolume(client, namespace, r.getName(), HEALTHY));
        }
        ref.awaitStatus(HEALTHY, tt -> tt.getStatus().getPhase() == Phase.Ready
                && tt.getStatus().getMysql().getReplicas().size() == tt.getSpec().getMysql().getReplicas()
                && tt.getStatus().getMysql().getReplicas().stream().allMatch(r -> ReplicaStates.RUNNING.equals(r.getState())
                        && r.getLagSeconds() != null && r.getLagSeconds() <= 1));
    }

    private int missingOnThePrimary(AcknowledgedWrites writes, String primary, String rootPassword) throws SQLException {
        Set<Long> present = new HashSet<>();
        try (SqlSession session = rootSession(primary, rootPassword)) {
            for (Map<String, Object> row : session.query("SELECT id FROM teachtrack.subjects WHERE code LIKE ?", writes.codePrefix() + "-%")) {
                present.add(((Number) row.get("id")).longValue());
            }
        }
        return (int) writes.acks().stream().filter(ack -> !present.contains(ack.id())).count();
    }

    private SqlSession rootSession(String pod, String rootPassword) throws SQLException {
        return SqlSession.open(pod(pod).getStatus().getPodIP(), Names.MYSQL_PORT, "root", rootPassword, SQL_TIMEOUT, Duration.ofSeconds(30));
    }

    private List<CommitSampler.Server> servers() {
        return mysqlPods().stream().filter(pod -> pod.getStatus().getPodIP() != null)
                .map(pod -> new CommitSampler.Server(pod.getMetadata().getName(), pod.getStatus().getPodIP(), Names.MYSQL_PORT)).toList();
    }

    private List<Pod> mysqlPods() {
        return client.pods().inNamespace(namespace).withLabel(Labels.INSTANCE, ref.name()).withLabel(Labels.COMPONENT, "mysql").list().getItems();
    }

    private Pod pod(String name) {
        return Objects.requireNonNull(client.pods().inNamespace(namespace).withName(name).get(), name);
    }

    private PlatformApi apiService() {
        String clusterIp = client.services().inNamespace(namespace).withName(ref.name() + "-api").get().getSpec().getClusterIP();
        return new PlatformApi(clusterIp, Names.API_PORT, CLIENT_TIMEOUT);
    }

    private static void pauseUntil(long faultAt) {
        long healAt = faultAt + Duration.ofSeconds(Fault.HEAL_AFTER_SECONDS).toNanos();
        await().atMost(Duration.ofSeconds(Fault.HEAL_AFTER_SECONDS + 30)).pollInterval(Duration.ofMillis(200))
                .until(() -> System.nanoTime() >= healAt);
    }
}
