package io.teachtrack.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.operator.api.v1alpha1.Phase;
import io.teachtrack.operator.api.v1alpha1.ServiceType;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.api.v1alpha1.TeachTrackStatus;
import io.teachtrack.operator.model.CredentialKeys;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.mysql.SqlSession;
import io.teachtrack.operator.testing.AuditLog;
import io.teachtrack.operator.testing.ClusterImages;
import io.teachtrack.operator.testing.ClusterWaits;
import io.teachtrack.operator.testing.LocalCluster;
import io.teachtrack.operator.testing.OperatorFiles;
import io.teachtrack.operator.testing.OperatorLogOnFailure;
import io.teachtrack.operator.testing.OperatorRelease;
import io.teachtrack.operator.testing.Samples;
import io.teachtrack.operator.testing.TeachTrackRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.teachtrack.operator.testing.ClusterWaits.await;
import static io.teachtrack.operator.testing.TeachTrackRef.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Cluster tier: the operator installed by its Helm chart, in its pod on the local cluster's real node (leader election
 * on, as the chart runs it with more than one replica). One TeachTrack (the small sample on MariaDB) goes through its
 * life: creation, no-op reconciles, a GitOps tool's re-apply, scaling, autoscaling off and on, an image rollout, an
 * operator outage, volume growth (and a growth the StorageClass refuses), the cache off and on, deletion, and re-creation on the kept volumes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(ClusterWaits.NODE)
class TeachTrackOperatorIT {

    private static final String NAME = "school-small";
    private static final Duration CONVERGE = Duration.ofMinutes(3);
    private static final String PRIORITY_CLASS = "teachtrack-it-reports";
    /** A label of no one's on the API Service, changed to make the operator reconcile. */
    private static final String TOUCHED = "example.com/touched";
    private static final String EXPANDABLE = "teachtrack-it-expandable";
    private static final String NEXT_API_IMAGE = "localhost/teachtrack/teachtrack-api:rollout-test";
    private static final String NEXT_MARIADB_IMAGE = "localhost/teachtrack/mariadb:rollout-test";
    private static final List<String> EXPECTED_CHILDREN = List.of(
            "Secret/school-small-credentials", "ConfigMap/school-small-mysql-config",
            "Service/school-small-mysql", "Service/school-small-mysql-primary", "Service/school-small-mysql-replicas",
            "Service/school-small-redis", "Service/school-small-api",
            "StatefulSet/school-small-mysql",
            "Deployment/school-small-redis", "Deployment/school-small-api", "Deployment/school-small-worker",
            "HorizontalPodAutoscaler/school-small-api",
            "PodDisruptionBudget/school-small-api", "PodDisruptionBudget/school-small-mysql",
            "NetworkPolicy/school-small-mysql", "NetworkPolicy/school-small-redis");

    private static final String CREDENTIALS = NAME + "-credentials";
    private static final String KEPT_NOTE = "written before the TeachTrack was deleted";

    private static KubernetesClient client;
    private static Map<String, String> keptCredentials;
    /** The audit log before the operator was installed: its whole life in this test comes after. */
    private static long lifeMark;
    private static String namespace;
    private static OperatorRelease operator;
    @RegisterExtension
    static final OperatorLogOnFailure OPERATOR_LOG = new OperatorLogOnFailure(() -> operator);
    private static TeachTrackRef school;

    @BeforeAll
    static void startOperator() {
        // A child that does not exist yet reads as null: keep polling instead of failing on the first look.
        client = LocalCluster.client();
        namespace = LocalCluster.createNamespace("operator-it");
        school = new TeachTrackRef(client, namespace, NAME);
        lifeMark = LocalCluster.auditLog().mark();
        operator = OperatorRelease.install(namespace, Map.of("leaderElection.enabled", true, "mysql.pollInterval", "2s"));
        // The local cluster's provisioner serves any class that names it; this one allows expansion (step 10).
        client.resource(new StorageClassBuilder()
                .withNewMetadata().withName(EXPANDABLE).endMetadata()
                .withProvisioner("teachtrack.io/local-dir").withAllowVolumeExpansion(true).withVolumeBindingMode("WaitForFirstConsumer")
                .build()).fieldManager("teachtrack-tests").forceConflicts().serverSideApply();
    }

    @AfterAll
    static void stopOperator() {
        if (operator != null) {
            operator.close();
        }
        LocalCluster.deleteNamespace(namespace);
    }

    @Test
    @Order(1)
    void theSmallSampleBecomesAWholeReadyPlatform() throws Exception {
        TeachTrack sample = Samples.small(namespace, MysqlEngine.MariaDB);
        sample.getSpec().getMysql().getStorage().setStorageClassName(EXPANDABLE);
        sample.getMetadata().setLabels(Map.of("app.kubernetes.io/instance", "argo-app"));
        sample.getMetadata().setAnnotations(Map.of("argocd.argoproj.io/tracking-id", "argo-app:teachtrack.io/TeachTrack:edu/school-small"));
        long auditMark = LocalCluster.auditLog().mark();
        long start = System.nanoTime();
        client.resource(sample).create();

        await().atMost(CONVERGE).untilAsserted(() -> assertThat(childNames()).containsAll(EXPECTED_CHILDREN));
        long childrenMillis = (System.nanoTime() - start) / 1_000_000;
        TeachTrack ready = school.awaitStatus(CONVERGE, tt -> tt.getStatus().getPhase() == Phase.Ready);
        long readyMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("[figure] small sample on the real node: all %d children created %d ms after apply, Ready after %d ms%n",
                EXPECTED_CHILDREN.size(), childrenMillis, readyMillis);

        // The audit log sees the operator by its ServiceAccount (else the no-op count below would prove nothing).
        List<AuditLog.Request> creation = LocalCluster.auditLog().byUser(auditMark, operator.user());
        assertThat(creation).anyMatch(r -> r.resource().equals("statefulsets") && r.isWrite());
        System.out.printf("[figure] creating the small platform: %d API requests by the operator, %d writes%n",
                creation.size(), creation.stream().filter(AuditLog.Request::isWrite).count());

        for (String type : List.of("Ready", "DatabaseReady", "ReplicationReady", "CacheReady", "ApiReady", "WorkersReady")) {
            assertThat(condition(ready, type).getStatus()).as(type).isEqualTo("True");
        }
        assertThat(condition(ready, "Degraded").getStatus()).isEqualTo("False");
        assertThat(condition(ready, "ReplicationReady").getReason()).isEqualTo("ReplicationRunning");
        assertThat(ready.getStatus().getMysql().getReplicas()).extracting(r -> r.getName() + "=" + r.getState())
                .containsExactly("school-small-mysql-1=Running", "school-small-mysql-2=Running");
        assertThat(ready.getStatus().getMysql().getMaxLagSeconds()).isNotNull();
        for (String key : CredentialKeys.PASSWORDS) {
            assertThat(operator.log()).as("the operator never logs " + key).doesNotContain(school.credential(key));
        }
        try (var app = SqlSession.open(podIp("school-small-mysql-0"), 3306, "teachtrack", school.credential(CredentialKeys.MYSQL_APP_PASSWORD),
                Duration.ofSeconds(5), Duration.ofSeconds(30))) {
            assertThat(app.queryLong("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'teachtrack'"))
                    .as("the app database and user exist").isEqualTo(1);
        }
        assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
        assertThat(ready.getStatus().getMysql().getPrimary()).isEqualTo("school-small-mysql-0");
        assertThat(ready.getStatus().getMysql().getReadyReplicas()).isEqualTo(2);
        assertThat(ready.getStatus().getEndpoints().getApi()).isEqualTo("school-small-api." + namespace + ".svc:8080");
        assertThat(ready.getStatus().getApi().getReadyReplicas()).isGreaterThanOrEqualTo(1);

        for (HasMetadata child : children()) {
            assertThat(child.getMetadata().getOwnerReferences()).as(child.getKind())
                    .filteredOn(ref -> Boolean.TRUE.equals(ref.getController())).singleElement()
                    .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(ready.getMetadata().getUid()));
            // Besides, the credentials are owned by each MySQL volume (they must outlive the TeachTrack as the data does).
            assertThat(child.getMetadata().getOwnerReferences()).as(child.getKind())
                    .filteredOn(ref -> !Boolean.TRUE.equals(ref.getController()))
                    .extracting(OwnerReference::getKind, OwnerReference::getName)
                    .containsExactlyElementsOf(child instanceof Secret
                            ? List.of(tuple("PersistentVolumeClaim", "data-school-small-mysql-0"),
                                    tuple("PersistentVolumeClaim", "data-school-small-mysql-1"),
                                    tuple("PersistentVolumeClaim", "data-school-small-mysql-2"))
                            : List.of());
            assertThat(child.getMetadata().getLabels()).as(child.getKind())
                    .containsEntry(Labels.MANAGED_BY, Labels.MANAGER)
                    .containsEntry(Labels.INSTANCE, NAME)
                    .doesNotContainKey("app.kubernetes.io/instance");
            assertThat(child.getMetadata().getAnnotations() == null ? Map.of() : child.getMetadata().getAnnotations())
                    .as(child.getKind()).doesNotContainKey("argocd.argoproj.io/tracking-id");
        }
        Deployment api = deployment("school-small-api");
        assertThat(api.getSpec().getReplicas()).as("the autoscaler's minimum").isEqualTo(1);
        assertThat(api.getMetadata().getManagedFields())
                .filteredOn(f -> "teachtrack-operator".equals(f.getManager()) || "teachtrack".equals(f.getManager()))
                .filteredOn(f -> "Apply".equals(f.getOperation()))
                .allSatisfy(f -> assertThat(Serialization.asJson(f.getFieldsV1())).doesNotContain("f:replicas"));
        assertThat(api.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getRequests())
                .containsEntry("cpu", new Quantity("100m"));
        assertThat(statefulSet("school-small-mysql").getSpec().getReplicas()).as("the primary and two replicas").isEqualTo(3);
        assertThat(client.pods().inNamespace(namespace).withLabel(Labels.INSTANCE, NAME).list().getItems())
                .isNotEmpty().allSatisfy(pod -> assertThat(pod.getStatus().getPhase()).isEqualTo("Running"));
        assertThat(client.v1().events().inNamespace(namespace).list().getItems())
                .anyMatch(e -> "Provisioned".equals(e.getReason()) && NAME.equals(e.getInvolvedObject().getName()));
        String table = LocalCluster.kubectl("-n", namespace, "get", "tt", "-o", "wide");
        String describe = LocalCluster.kubectl("-n", namespace, "describe", "tt", NAME);
        System.out.println("[kubectl get tt -o wide]\n" + table + "[kubectl describe tt]\n" + describe);
        assertThat(table.lines().skip(1).findFirst().orElseThrow().split("\\s+"))
                .startsWith(NAME, "True", "Ready", String.valueOf(ready.getStatus().getApi().getReadyReplicas()), "2");
        assertThat(describe).contains("ReplicationRunning", "Provisioned", "AllComponentsReady");
        assertThat(client.leases().inNamespace(namespace).withName("teachtrack-operator").get().getSpec().getHolderIdentity())
                .as("the operator leads through its Lease").isNotBlank();
    }

    @Test
    @Order(2)
    void theKubectlPluginShowsTheClusterHandsThePrimaryOverAndOpensClientSessions() {
        String status = plugin("status", NAME, "-n", namespace);
        System.out.println("[kubectl teachtrack status]\n" + status);
        boolean semiSyncActive = Boolean.TRUE.equals(school.get().getStatus().getMysql().getSemiSync().getActive());
        assertThat(status).contains("PHASE       Ready", "ENGINE      MariaDB", "SEMI-SYNC        " + (semiSyncActive ? "active" : "inactive"))
                .containsPattern("(?m)^school-small-mysql-0 +primary ")
                .containsPattern("(?m)^school-small-mysql-1 +replica +Running +\\d+s ")
                .containsPattern("(?m)^school-small-mysql-2 +replica +Running +\\d+s ")
                .containsPattern("(?m)^school-small-api-\\S+ +api +true +Running")
                .containsPattern("(?m)^school-small-worker-\\S+ +worker +true +Running");

        String credentials = plugin("credentials", NAME, "-n", namespace);
        assertThat(credentials).contains("host:     school-small-mysql-primary." + namespace + ".svc", "port:     3306",
                "user:     teachtrack", "password: " + school.credential(CredentialKeys.MYSQL_APP_PASSWORD));

        assertThat(plugin("mysql", NAME, "-n", namespace, "--", "-N", "-e", "SELECT @@read_only").strip())
                .as("the session opens on the primary").isEqualTo("0");
        assertThat(plugin("mysql", NAME, "--replica", "-n", namespace, "--", "-N", "-e", "SELECT @@read_only").strip())
                .as("--replica opens it on a replica").isEqualTo("1");

        assertThat(plugin("switchover", NAME, "school-small-mysql-1", "-n", namespace))
                .contains("switched over: school-small-mysql-1 is the primary");
        assertThat(school.get().getStatus().getMysql().getPrimary()).isEqualTo("school-small-mysql-1");
        assertThat(LocalCluster.plugin("switchover", NAME, "school-small-mysql-1", "-n", namespace).stderr())
                .contains("school-small-mysql-1 is the primary already");
        // The old primary must be a running replica again before it can take the primary back.
        school.awaitStatus(CONVERGE, tt -> tt.getStatus().getPhase() == Phase.Ready && tt.getStatus().getMysql().getReplicas().stream()
                .allMatch(r -> "Running".equals(r.getState())));
        assertThat(plugin("switchover", NAME, "school-small-mysql-0", "-n", namespace))
                .contains("switched over: school-small-mysql-0 is the primary");
        // A request the operator refuses is reported; asked again, the plugin clears the answered request first, so the
        // operator acts on it (and refuses it) again instead of the plugin waiting for its timeout.
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThat(LocalCluster.plugin("switchover", NAME, "school-small-mysql-9", "-n", namespace, "--timeout", "120").stderr())
                    .contains("switchover rejected");
        }
        LocalCluster.kubectl("-n", namespace, "annotate", "teachtrack", NAME, Labels.SWITCHOVER_ANNOTATION + "-");
        school.awaitStatus(CONVERGE, tt -> tt.getStatus().getPhase() == Phase.Ready && tt.getStatus().getMysql().getReplicas().stream()
                .allMatch(r -> "Running".equals(r.getState())));
        assertThat(operator.log()).doesNotContain(school.credential(CredentialKeys.MYSQL_ROOT_PASSWORD));
    }

    private static String plugin(String... args) {
        return LocalCluster.plugin(args).requireSuccess(List.of(args)).stdout();
    }

    @Test
    @Order(3)
    void noOpReconcileSendsNoWrite() {
        awaitStable();
        Map<String, String> versions = resourceVersions();
        TeachTrackStatus statusBefore = school.get().getStatus();
        AuditLog audit = LocalCluster.auditLog();
        long mark = audit.mark();

        // A change the operator does not own (another manager's label) triggers a reconcile with nothing to do.
        touchAndAwaitReconcile();

        List<AuditLog.Request> requests = audit.byUser(mark, operator.user());
        // Lease renewals (leader election) are the operator's heartbeat, not a reconcile's doing.
        List<AuditLog.Request> writes = requests.stream().filter(AuditLog.Request::isWrite)
                .filter(request -> !request.resource().equals("leases")).toList();
        System.out.printf("[figure] no-op reconciles: %d API requests (%d writes): %s%n", requests.size(), writes.size(), requests);
        assertThat(writes).as("the operator writes no child, only status").allSatisfy(w -> assertThat(w.requestUri()).contains(
                "/teachtracks/" + NAME + "/status?"));
        // The platform keeps running meanwhile (heartbeats, probes): a status write is allowed when what the operator
        // observes has changed, never to write the status that is already there.
        TeachTrackStatus previous = statusBefore;
        for (AuditLog.Request write : writes) {
            TeachTrackStatus written = Serialization.unmarshal(write.body(), TeachTrack.class).getStatus();
            assertThat(asTree(written)).as("status write %s repeats the stored status", write).isNotEqualTo(asTree(previous));
            previous = written;
        }
        assertThat(drift(versions, resourceVersions())).as("children changed by a no-op reconcile").isEmpty();
    }

    @Test
    @Order(4)
    void reapplyingTheSampleAsAGitOpsToolChangesNothingAndTheOperatorNeverOwnsSpec() throws Exception {
        // What Argo CD does with ServerSideApply=true: apply the manifest under its own manager — once to take
        // ownership of the fields, then again, as every sync does.
        TeachTrack again = Serialization.unmarshal(Files.readString(OperatorFiles.samples().resolve("teachtrack-small.yaml")), TeachTrack.class);
        again.getMetadata().setNamespace(namespace);
        again.getMetadata().setLabels(Map.of("app.kubernetes.io/instance", "argo-app"));
        again.getMetadata().setAnnotations(Map.of("argocd.argoproj.io/tracking-id", "argo-app:teachtrack.io/TeachTrack:edu/school-small"));
        again.getSpec().getMysql().setEngine(MysqlEngine.MariaDB);
        client.resource(again).fieldManager("argocd-controller").forceConflicts().serverSideApply();
        awaitStable();
        Map<String, String> before = resourceVersions();
        long generation = school.get().getMetadata().getGeneration();
        client.resource(again).fieldManager("argocd-controller").forceConflicts().serverSideApply();
        touchAndAwaitReconcile();
        assertThat(school.get().getMetadata().getGeneration()).isEqualTo(generation);
        assertThat(drift(before, resourceVersions())).as("no drift a GitOps tool would see").isEmpty();

        TeachTrack current = school.get();
        assertThat(current.getMetadata().getManagedFields())
                .filteredOn(f -> f.getManager() != null && f.getManager().startsWith("teachtrack"))
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.getSubresource()).as("the operator writes only status").isEqualTo("status"));
    }

    @Test
    @Order(5)
    void autoscalerDecisionSurvivesAReconcile() {
        // Another manager's field on the autoscaler, which the operator does not own: the autoscaler may not scale
        // the idle API back in, so the replica count stays what was decided outside the operator.
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).withName("school-small-api")
                .patch(PatchContext.of(PatchType.SERVER_SIDE_APPLY), """
                        {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                         "metadata": {"name": "school-small-api"}, "spec": {"behavior": {"scaleDown": {"selectPolicy": "Disabled"}}}}""");
        LocalCluster.kubectl("-n", namespace, "scale", "deployment/school-small-api", "--replicas=2");
        double before = reconciles();
        school.edit(tt -> tt.getSpec().getApi().getCache().setTtlSeconds(900)); // any change: a real reconcile
        await().atMost(CONVERGE).until(() -> reconciles() > before && envOf("school-small-api", "TEACHTRACK_CACHE_TTL_SECONDS").equals("900"));
        awaitStable();
        assertThat(deployment("school-small-api").getSpec().getReplicas()).isEqualTo(2);
        assertThat(hpa("school-small-api").getSpec().getBehavior().getScaleDown().getSelectPolicy())
                .as("another manager's field survives the operator's apply").isEqualTo("Disabled");
    }

    @Test
    @Order(6)
    void autoscalingBoundsFollowTheSpec() {
        school.edit(tt -> {
            tt.getSpec().getApi().getAutoscaling().setMinReplicas(2);
            tt.getSpec().getApi().getAutoscaling().setMaxReplicas(4);
        });
        await().atMost(CONVERGE).untilAsserted(() -> {
            HorizontalPodAutoscaler hpa = hpa("school-small-api");
            assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
            assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(4);
            assertThat(hpa.getSpec().getMetrics()).extracting(m -> m.getResource().getName()).containsExactly("cpu", "memory");
        });
        // A requests-per-second target reaches the autoscaler as a Pods metric the API server accepts, and goes again.
        school.edit(tt -> tt.getSpec().getApi().getAutoscaling().setTargetRequestsPerSecond(150));
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(hpa("school-small-api").getSpec().getMetrics())
                .extracting(m -> m.getType() + ":" + (m.getPods() == null ? m.getResource().getName()
                        : m.getPods().getMetric().getName() + "=" + m.getPods().getTarget().getAverageValue()))
                .containsExactly("Resource:cpu", "Resource:memory", "Pods:http_server_requests_per_second=150"));
        school.edit(tt -> tt.getSpec().getApi().getAutoscaling().setTargetRequestsPerSecond(null));
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(hpa("school-small-api").getSpec().getMetrics())
                .extracting(m -> m.getType()).containsExactly("Resource", "Resource"));
    }

    @Test
    @Order(7)
    void mysqlReplicasScaleUpAndDown() {
        for (int replicas : new int[] {3, 1}) {
            school.edit(tt -> tt.getSpec().getMysql().setReplicas(replicas));
            await().atMost(CONVERGE).untilAsserted(() -> {
                assertThat(statefulSet("school-small-mysql").getSpec().getReplicas()).isEqualTo(1 + replicas);
                assertThat(client.pods().inNamespace(namespace).withLabel(Labels.ROLE, "replica").list().getItems())
                        .hasSize(replicas).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
                assertThat(school.get().getStatus().getMysql().getReadyReplicas()).isEqualTo(replicas);
            });
        }
    }

    @Test
    @Order(8)
    void autoscalingOffSetsReplicasAndOnBringsTheAutoscalerBack() {
        assertThat(deployment("school-small-api").getSpec().getReplicas()).as("what the steps before left").isEqualTo(2);
        // A count nobody else sets: only the operator can bring the Deployment there (with its chart's permissions).
        school.edit(tt -> {
            tt.getSpec().getApi().getAutoscaling().setEnabled(false);
            tt.getSpec().getApi().setReplicas(3);
        });
        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).withName("school-small-api").get()).isNull();
            assertThat(deployment("school-small-api").getSpec().getReplicas()).isEqualTo(3);
            assertThat(deployment("school-small-api").getStatus().getReadyReplicas()).isEqualTo(3);
        });
        school.edit(tt -> tt.getSpec().getApi().getAutoscaling().setEnabled(true));
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(hpa("school-small-api").getSpec().getMinReplicas()).isEqualTo(2));
    }

    @Test
    @Order(9)
    void imageChangeRollsOut() {
        // A new version of the API image, under a name the node holds (nothing is pulled).
        ClusterImages.tag("localhost/teachtrack/teachtrack-api:0.1.0", NEXT_API_IMAGE);
        school.edit(tt -> tt.getSpec().getApi().setImage(NEXT_API_IMAGE));
        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(deployment("school-small-api").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo(NEXT_API_IMAGE);
            assertThat(deployment("school-small-worker").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo(NEXT_API_IMAGE);
            assertThat(client.pods().inNamespace(namespace).withLabel(Labels.INSTANCE, NAME).withLabel(Labels.COMPONENT, "api").list()
                    .getItems()).as("every API pod runs the new image").isNotEmpty()
                    .allSatisfy(pod -> assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo(NEXT_API_IMAGE));
        });
        school.awaitStatus(CONVERGE, tt -> tt.getStatus().getPhase() == Phase.Ready);
    }

    @Test
    @Order(10)
    void podOptionsReachTheRunningPodsAndTheApiServiceFollowsTheSpecsType() {
        client.resource(new PriorityClassBuilder().withNewMetadata().withName(PRIORITY_CLASS).endMetadata().withValue(1000).build())
                .serverSideApply();
        String node = client.nodes().list().getItems().getFirst().getMetadata().getLabels().get("kubernetes.io/hostname");
        school.edit(tt -> {
            var worker = tt.getSpec().getWorker();
            worker.setPodLabels(Map.of("team", "reports"));
            worker.setPodAnnotations(Map.of("example.com/owner", "reports"));
            worker.setNodeSelector(Map.of("kubernetes.io/hostname", node));
            worker.setTolerations(List.of(new TolerationBuilder().withKey("dedicated").withOperator("Exists").withEffect("NoSchedule").build()));
            worker.setTopologySpreadConstraints(List.of(new TopologySpreadConstraintBuilder().withMaxSkew(1)
                    .withTopologyKey("kubernetes.io/hostname").withWhenUnsatisfiable("ScheduleAnyway").build()));
            worker.setPriorityClassName(PRIORITY_CLASS);
            tt.getSpec().getApi().getService().setType(ServiceType.NodePort);
            tt.getSpec().getApi().getService().setAnnotations(Map.of("example.com/exposed", "true"));
        });
        await().atMost(CONVERGE).untilAsserted(() -> {
            List<Pod> workers = client.pods().inNamespace(namespace).withLabel(Labels.INSTANCE, NAME).withLabel(Labels.COMPONENT, "worker")
                    .list().getItems();
            assertThat(workers).as("the worker's pods, rolled and ready").isNotEmpty().allSatisfy(pod -> {
                assertThat(pod.getMetadata().getLabels()).containsEntry("team", "reports").containsEntry(Labels.COMPONENT, "worker");
                assertThat(pod.getMetadata().getAnnotations()).containsEntry("example.com/owner", "reports");
                assertThat(pod.getSpec().getNodeSelector()).containsEntry("kubernetes.io/hostname", node);
                assertThat(pod.getSpec().getTolerations()).extracting(Toleration::getKey).contains("dedicated");
                assertThat(pod.getSpec().getTopologySpreadConstraints()).singleElement()
                        .satisfies(c -> assertThat(c.getLabelSelector().getMatchLabels()).containsEntry(Labels.COMPONENT, "worker"));
                assertThat(pod.getSpec().getPriority()).as("the priority admission resolved the class").isEqualTo(1000);
                assertThat(pod.getStatus().getConditions()).anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True"));
            });
            Service api = client.services().inNamespace(namespace).withName("school-small-api").get();
            assertThat(api.getSpec().getType()).isEqualTo("NodePort");
            assertThat(api.getSpec().getPorts().getFirst().getNodePort()).isNotNull();
            assertThat(api.getMetadata().getAnnotations()).containsEntry("example.com/exposed", "true");
        });
        // Back to ClusterIP: the API server drops the node port the operator never set, and the annotation goes.
        school.edit(tt -> {
            tt.getSpec().getApi().getService().setType(ServiceType.ClusterIP);
            tt.getSpec().getApi().getService().setAnnotations(null);
        });
        await().atMost(CONVERGE).untilAsserted(() -> {
            Service api = client.services().inNamespace(namespace).withName("school-small-api").get();
            assertThat(api.getSpec().getType()).isEqualTo("ClusterIP");
            assertThat(api.getSpec().getPorts().getFirst().getNodePort()).isNull();
            assertThat(api.getMetadata().getAnnotations()).doesNotContainKey("example.com/exposed");
        });
        school.awaitStatus(CONVERGE, tt -> tt.getStatus().getPhase() == Phase.Ready);
    }

    @Test
    @Order(11)
    void aDatabaseImageChangeRollsTheReplicaFirstAndThePrimaryLastAfterASwitchover() {
        String primaryBefore = school.get().getStatus().getMysql().getPrimary();
        ClusterImages.tag("localhost/teachtrack/mariadb:11.8", NEXT_MARIADB_IMAGE);
        // Pod annotations in the same edit come with the same pods.
        school.edit(tt -> {
            tt.getSpec().getMysql().setImage(NEXT_MARIADB_IMAGE);
            tt.getSpec().getMysql().setPodAnnotations(Map.of("example.com/backup", "nightly"));
        });
        TeachTrack rolled = school.awaitStatus(CONVERGE, tt -> tt.getStatus().getPhase() == Phase.Ready
                && mysqlPods().stream().allMatch(pod -> pod.getSpec().getContainers().get(0).getImage().equals(NEXT_MARIADB_IMAGE)
                        && "Running".equals(pod.getStatus().getPhase())));
        List<Pod> pods = mysqlPods();
        Pod oldPrimary = pods.stream().filter(p -> p.getMetadata().getName().equals(primaryBefore)).findFirst().orElseThrow();
        Pod other = pods.stream().filter(p -> p != oldPrimary).findFirst().orElseThrow();
        assertThat(Instant.parse(oldPrimary.getMetadata().getCreationTimestamp()))
                .as("the primary's pod was replaced last").isAfter(Instant.parse(other.getMetadata().getCreationTimestamp()));
        assertThat(rolled.getStatus().getMysql().getPrimary()).as("handed over before its pod went").isEqualTo(other.getMetadata().getName());
        assertThat(rolled.getStatus().getMysql().getLastSwitchover().getResult()).isEqualTo("Completed");
        assertThat(pods).allSatisfy(pod -> assertThat(pod.getMetadata().getAnnotations()).containsEntry("example.com/backup", "nightly"));
        assertThat(statefulSet("school-small-mysql").getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
    }

    @Test
    @Order(12)
    void restartedOperatorConvergesFromWhatItFinds() {
        operator.stop();
        client.services().inNamespace(namespace).withName("school-small-redis").delete();
        school.edit(tt -> tt.getSpec().getRedis().setMaxMemory("80Mi"));
        operator.start();

        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(childNames()).containsExactlyInAnyOrderElementsOf(EXPECTED_CHILDREN);
            assertThat(deployment("school-small-redis").getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                    .containsSequence("--maxmemory", String.valueOf(80L * 1024 * 1024));
        });
        TeachTrack ready = school.awaitStatus(CONVERGE, tt -> tt.getStatus().getPhase() == Phase.Ready);
        assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
    }

    @Test
    @Order(13)
    void growingTheStorageGrowsTheExistingClaims() {
        school.edit(tt -> tt.getSpec().getMysql().getStorage().setSize("2Gi"));
        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(client.persistentVolumeClaims().inNamespace(namespace).withName("data-school-small-mysql-0").get()
                    .getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("2Gi"));
            assertThat(statefulSet("school-small-mysql").getMetadata().getAnnotations()).containsEntry("teachtrack.io/storage-size", "2Gi");
        });
        school.awaitStatus(CONVERGE, tt -> tt.getStatus().getPhase() == Phase.Ready);
    }

    @Test
    @Order(14)
    void aGrowthTheStorageClassRefusesIsReportedWhileEverythingElseIsReconciled() {
        allowExpansion(false);
        int maxReplicas = hpa("school-small-api").getSpec().getMaxReplicas() + 1;
        try {
            school.edit(tt -> {
                tt.getSpec().getMysql().getStorage().setSize("3Gi");
                tt.getSpec().getApi().getAutoscaling().setMaxReplicas(maxReplicas);
            });
            TeachTrack refused = school.awaitStatus(CONVERGE, tt -> "ExpansionRefused".equals(condition(tt, "VolumesReady").getReason()));
            assertThat(condition(refused, "VolumesReady").getStatus()).isEqualTo("False");
            assertThat(condition(refused, "VolumesReady").getMessage()).contains("3Gi");
            assertThat(refused.getStatus().getPhase()).as("the platform serves on").isEqualTo(Phase.Ready);
            await().atMost(CONVERGE).untilAsserted(() -> assertThat(hpa("school-small-api").getSpec().getMaxReplicas())
                    .as("the rest of the spec is applied").isEqualTo(maxReplicas));
            assertThat(statefulSet("school-small-mysql").getMetadata().getAnnotations()).as("the size the volumes have")
                    .containsEntry("teachtrack.io/storage-size", "2Gi");
            await().atMost(CONVERGE).untilAsserted(() -> assertThat(client.v1().events().inNamespace(namespace).list().getItems())
                    .anyMatch(e -> "VolumeExpansionRefused".equals(e.getReason()) && "Warning".equals(e.getType())));
        } finally {
            allowExpansion(true);
        }
        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(client.persistentVolumeClaims().inNamespace(namespace).withName("data-school-small-mysql-0").get()
                    .getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("3Gi"));
            assertThat(statefulSet("school-small-mysql").getMetadata().getAnnotations()).containsEntry("teachtrack.io/storage-size", "3Gi");
        });
        school.awaitStatus(CONVERGE, tt -> "True".equals(condition(tt, "VolumesReady").getStatus()) && tt.getStatus().getPhase() == Phase.Ready);
    }

    @Test
    @Order(15)
    void turningTheCacheOffRemovesRedisAndTurningItOnBringsItBack() {
        List<String> redis = List.of("Deployment/school-small-redis", "Service/school-small-redis", "NetworkPolicy/school-small-redis");
        school.edit(tt -> tt.getSpec().getApi().getCache().setEnabled(false));
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(childNames()).doesNotContainAnyElementsOf(redis));
        TeachTrack uncached = school.awaitStatus(CONVERGE, tt -> tt.getStatus().getPhase() == Phase.Ready
                && "CacheDisabled".equals(condition(tt, "CacheReady").getReason()));
        assertThat(uncached.getStatus().getRedis()).isNull();

        school.edit(tt -> tt.getSpec().getApi().getCache().setEnabled(true));
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(childNames()).containsAll(redis));
        school.awaitStatus(CONVERGE, tt -> tt.getStatus().getPhase() == Phase.Ready
                && "RedisReady".equals(condition(tt, "CacheReady").getReason()));
    }

    @Test
    @Order(16)
    void deletingTheTeachTrackRemovesItsChildrenButKeepsItsVolumesAndTheCredentialsThatOpenThem() throws Exception {
        keptCredentials = client.secrets().inNamespace(namespace).withName(CREDENTIALS).get().getData();
        try (var app = appSessionOnPrimary()) {
            app.execute("CREATE TABLE teachtrack.kept_through_recreation (note VARCHAR(64) PRIMARY KEY)");
            app.execute("INSERT INTO teachtrack.kept_through_recreation VALUES (?)", KEPT_NOTE);
        }
        client.resources(TeachTrack.class).inNamespace(namespace).withName(NAME).delete();

        await().atMost(CONVERGE).untilAsserted(() -> assertThat(childNames()).containsExactly("Secret/" + CREDENTIALS));
        assertThat(client.persistentVolumeClaims().inNamespace(namespace).list().getItems())
                .as("StatefulSet volumes are kept").isNotEmpty();
        // The garbage collector drops the deleted owner; the volumes still own the Secret.
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(client.secrets().inNamespace(namespace).withName(CREDENTIALS).get()
                .getMetadata().getOwnerReferences()).isNotEmpty().allMatch(owner -> owner.getKind().equals("PersistentVolumeClaim")));
    }

    @Test
    @Order(17)
    void aTeachTrackRecreatedOnItsKeptVolumesAdoptsTheirCredentialsAndReachesReadyWithTheData() throws Exception {
        TeachTrack sample = Samples.small(namespace, MysqlEngine.MariaDB);
        sample.getSpec().getMysql().getStorage().setStorageClassName(EXPANDABLE);
        client.resource(sample).create();

        TeachTrack ready = school.awaitStatus(CONVERGE, tt -> tt.getStatus().getPhase() == Phase.Ready);
        Secret credentials = client.secrets().inNamespace(namespace).withName(CREDENTIALS).get();
        assertThat(credentials.getData()).as("the kept passwords, not new ones").isEqualTo(keptCredentials);
        assertThat(credentials.getMetadata().getOwnerReferences()).extracting(OwnerReference::getUid)
                .contains(ready.getMetadata().getUid());
        try (var app = appSessionOnPrimary()) {
            assertThat(app.queryString("SELECT note FROM teachtrack.kept_through_recreation")).isEqualTo(KEPT_NOTE);
        }
    }

    @Test
    @Order(18)
    void theCredentialsGoWithTheLastVolume() {
        client.resources(TeachTrack.class).inNamespace(namespace).withName(NAME).delete();
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(childNames()).containsExactly("Secret/" + CREDENTIALS));
        client.persistentVolumeClaims().inNamespace(namespace).withLabel(Labels.INSTANCE, NAME).delete();
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(childNames()).isEmpty());
    }

    /**
     * Least privilege, measured: over this TeachTrack's whole life the operator was refused nothing, and it used every
     * permission its chart grants, except those the API server checks without a request of that verb.
     */
    @Test
    @Order(19)
    void theOperatorUsedEveryPermissionTheChartGrantsItAndNoOther() {
        List<AuditLog.Request> requests = LocalCluster.auditLog().byUser(lifeMark, operator.user());
        assertThat(requests).as("requests RBAC refused").allMatch(AuditLog.Request::authorized);
        Set<String> used = requests.stream().map(AuditLog.Request::permission)
                // Every authenticated user may ask what it may do (the SDK does at start-up); the chart grants nothing for it.
                .filter(permission -> !permission.startsWith("authorization.k8s.io/selfsubject"))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> granted = operator.grantedPermissions();
        assertThat(granted).containsAll(used);
        Set<String> unused = new TreeSet<>(granted);
        unused.removeAll(used);
        System.out.printf("[figure] operator permissions: %d granted, %d used; unused: %s%n", granted.size(), used.size(), unused);
        // Checked without a request of that verb: "update" on the owner's finalizers when a child's ownerReference blocks
        // its deletion; "create" when a server-side apply (a patch) creates a child; and the SDK refuses to start
        // without "update" on Leases (it checks the verbs a takeover may need; renewals patch). The MySQL ConfigMap is
        // replaced only when a spec change alters the server configuration, which this TeachTrack's life does not.
        assertThat(unused).allSatisfy(permission -> assertThat(permission.equals("teachtrack.io/teachtracks/finalizers:update")
                || permission.equals("coordination.k8s.io/leases:update") || permission.equals("/configmaps:update")
                || permission.endsWith(":create") && used.contains(permission.replace(":create", ":patch"))).as(permission).isTrue());
    }

    // --- helpers ---

    /** Ready, and the children have stopped changing for two seconds. */
    private static void awaitStable() {
        school.awaitStatus(CONVERGE, tt -> tt.getStatus().getPhase() == Phase.Ready);
        Map<String, String>[] last = new Map[] {resourceVersions()};
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() -> {
            Map<String, String> now = resourceVersions();
            boolean same = now.equals(last[0]);
            last[0] = now;
            return same;
        });
    }

    private static List<Pod> mysqlPods() {
        return client.pods().inNamespace(namespace).withLabel(Labels.INSTANCE, NAME).withLabel(Labels.COMPONENT, "mysql").list().getItems();
    }

    private static double reconciles() {
        return operator.counter("teachtrack_reconciliations_total");
    }

    /**
     * Changes a label no one owns on the API Service (a reconcile follows, as for any change to a child) and waits until
     * every reconcile started by then has finished: whatever the operator would write for an earlier change is written.
     */
    private static void touchAndAwaitReconcile() {
        double before = reconciles();
        client.services().inNamespace(namespace).withName("school-small-api")
                .edit(s -> { s.getMetadata().getLabels().put(TOUCHED, String.valueOf(System.nanoTime())); return s; });
        await().atMost(CONVERGE).until(() -> {
            double started = reconciles();
            return started > before && operator.counter("teachtrack_reconciliation_seconds_count") >= started;
        });
    }

    private static JsonNode asTree(Object value) {
        return Serialization.jsonMapper().valueToTree(value);
    }

    private static void allowExpansion(boolean allowed) {
        client.storage().v1().storageClasses().withName(EXPANDABLE).edit(storageClass -> {
            storageClass.setAllowVolumeExpansion(allowed);
            return storageClass;
        });
    }

    private static SqlSession appSessionOnPrimary() throws SQLException {
        return SqlSession.open(podIp(school.get().getStatus().getMysql().getPrimary()), 3306, "teachtrack",
                school.credential(CredentialKeys.MYSQL_APP_PASSWORD), Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    private static String podIp(String pod) {
        return client.pods().inNamespace(namespace).withName(pod).get().getStatus().getPodIP();
    }

    private static List<HasMetadata> children() {
        String selector = Labels.INSTANCE + "=" + NAME;
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(client.secrets().inNamespace(namespace).withLabelSelector(selector).list().getItems());
        all.addAll(client.configMaps().inNamespace(namespace).withLabelSelector(selector).list().getItems());
        all.addAll(client.services().inNamespace(namespace).withLabelSelector(selector).list().getItems());
        all.addAll(client.apps().statefulSets().inNamespace(namespace).withLabelSelector(selector).list().getItems());
        all.addAll(client.apps().deployments().inNamespace(namespace).withLabelSelector(selector).list().getItems());
        all.addAll(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).withLabelSelector(selector).list().getItems());
        all.addAll(client.policy().v1().podDisruptionBudget().inNamespace(namespace).withLabelSelector(selector).list().getItems());
        all.addAll(client.network().v1().networkPolicies().inNamespace(namespace).withLabelSelector(selector).list().getItems());
        return all;
    }

    private static List<String> childNames() {
        return children().stream().map(c -> c.getKind() + "/" + c.getMetadata().getName()).sorted().toList();
    }

    /**
     * What a write by the operator or a GitOps tool would change: each child as a GitOps tool compares it —
     * everything but its status and server-kept metadata (controllers' own status updates, such as the HPA
     * controller's, are not drift) — and the TeachTrack's resourceVersion, which moves with any write at all.
     */
    /** The entries that differ, each with both values: a failure names what changed instead of printing every child twice. */
    private static List<String> drift(Map<String, String> before, Map<String, String> after) {
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        return keys.stream().filter(key -> !Objects.equals(before.get(key), after.get(key)))
                .map(key -> key + "\n  before: " + before.get(key) + "\n  after:  " + after.get(key)).toList();
    }

    /**
     * What a GitOps tool compares of each child: spec and data, labels, annotations and owners. A Deployment's replicas
     * are the autoscaler's to change (the operator leaves them out once an HPA exists), so they are not drift.
     */
    private static Map<String, String> resourceVersions() {
        Map<String, String> versions = new TreeMap<>();
        children().forEach(c -> {
            var tree = (ObjectNode) Serialization.jsonMapper().valueToTree(c);
            tree.remove("status");
            if (c instanceof Deployment && tree.get("spec") instanceof ObjectNode spec) {
                spec.remove("replicas");
            }
            ObjectNode metadata = (ObjectNode) tree.get("metadata");
            metadata.retain("labels", "annotations", "ownerReferences");
            if (metadata.get("labels") instanceof ObjectNode labels) {
                labels.remove(TOUCHED);
            }
            versions.put(c.getKind() + "/" + c.getMetadata().getName(), tree.toString());
        });
        TeachTrack tt = school.get();
        versions.put("TeachTrack/" + NAME, tt.getMetadata().getGeneration() + " " + tt.getMetadata().getLabels() + " "
                + tt.getMetadata().getAnnotations() + " " + Serialization.asJson(tt.getSpec()));
        return versions;
    }

    private static Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    private static StatefulSet statefulSet(String name) {
        return client.apps().statefulSets().inNamespace(namespace).withName(name).get();
    }

    private static HorizontalPodAutoscaler hpa(String name) {
        return client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).withName(name).get();
    }

    private static String envOf(String deployment, String variable) {
        return deployment(deployment).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals(variable)).map(e -> Objects.toString(e.getValue(), "")).findFirst().orElse("");
    }

}
