package io.teachtrack.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.teachtrack.operator.api.v1alpha1.TeachTrackSpec;
import io.teachtrack.operator.testing.LocalCluster;
import io.teachtrack.operator.testing.OperatorFiles;
import org.assertj.core.api.ThrowableAssert;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * API-server tier: the committed CRD on a real kube-apiserver + etcd. Validation (OpenAPI bounds, enums,
 * CEL rules with their messages, transition rules on update, strict field validation) and defaulting are the
 * server's own behaviour, so they are proven here and not in unit tests.
 */
class TeachTrackCrdIT {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static KubernetesClient client;
    private static String namespace;

    @BeforeAll
    static void installCrd() {
        client = LocalCluster.client();
        LocalCluster.installCrd();
        namespace = LocalCluster.createNamespace("crd-it");
    }

    @AfterAll
    static void cleanUp() {
        LocalCluster.deleteNamespace(namespace);
    }

    @Test
    void crdIsEstablishedWithItsNames() {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                .withName("teachtracks.teachtrack.io").get();
        assertThat(crd.getStatus().getConditions())
                .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("tt");
        assertThat(crd.getSpec().getNames().getCategories()).containsExactly("teachtrack");
        assertThat(crd.getSpec().getVersions().get(0).getSubresources().getStatus()).isNotNull();
    }

    @Test
    void everySampleIsAccepted() throws IOException {
        List<Path> samples;
        try (Stream<Path> files = Files.list(OperatorFiles.samples())) {
            samples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(samples).hasSizeGreaterThanOrEqualTo(2);
        for (Path sample : samples) {
            GenericKubernetesResource tt = Serialization.unmarshal(Files.readString(sample), GenericKubernetesResource.class);
            tt.getMetadata().setNamespace(namespace);
            GenericKubernetesResource created = client.resource(tt).fieldValidation(Validation.STRICT).create();
            assertThat(created.getMetadata().getUid()).as(sample.getFileName().toString()).isNotBlank();
            client.resource(created).delete();
        }
    }

    @Test
    void emptySpecIsAcceptedAndDefaultedExactlyAsTheJavaDefaults() {
        GenericKubernetesResource created = create(teachTrack(uniqueName(), "{}"));
        JsonNode serverDefaults = Serialization.jsonMapper().valueToTree(created.getAdditionalProperties().get("spec"));
        JsonNode javaDefaults = Serialization.jsonMapper().valueToTree(new TeachTrackSpec());

        assertThat(serverDefaults.at("/api/autoscaling/minReplicas").asInt()).isEqualTo(4);
        assertThat(serverDefaults.at("/api/autoscaling/maxReplicas").asInt()).isEqualTo(16);
        assertThat(serverDefaults.at("/worker/autoscaling/maxReplicas").asInt()).isEqualTo(8);
        assertThat(serverDefaults.at("/mysql/engine").asText()).isEqualTo("MySQL");
        assertThat(serverDefaults.at("/mysql/storage/size").asText()).isEqualTo("10Gi");
        assertThat(serverDefaults.at("/mysql/binlogExpiryHours").asInt()).isEqualTo(168);
        assertThat(serverDefaults.at("/redis/image").isMissingNode()).as("the operator's configured Redis image applies").isTrue();
        assertThat(serverDefaults.at("/redis/maxMemory").asText()).isEqualTo("256Mi");
        assertThat(serverDefaults).as("CRD defaults and Java field defaults agree").isEqualTo(javaDefaults);
    }

    @Test
    void absentSpecIsDefaultedToo() {
        GenericKubernetesResource tt = teachTrack(uniqueName(), "{}");
        tt.getAdditionalProperties().remove("spec");
        GenericKubernetesResource created = create(tt);
        JsonNode spec = Serialization.jsonMapper().valueToTree(created.getAdditionalProperties().get("spec"));
        assertThat(spec.at("/mysql/replicas").asInt()).isEqualTo(2);
    }

    static Stream<Arguments> invalidOnCreate() {
        String longName = "a".repeat(41);
        return Stream.of(
                arguments("name longer than 40", longName, "{}", "metadata.name must be at most 40 characters"),
                arguments("name with a dot", "school.one", "{}", "metadata.name must start with a letter"),
                arguments("name starting with a digit", "1school", "{}", "metadata.name must start with a letter"),
                arguments("api min > max", null, "{api: {autoscaling: {minReplicas: 8, maxReplicas: 4}}}",
                        "api.autoscaling.minReplicas must be less than or equal to api.autoscaling.maxReplicas"),
                arguments("api max below default min", null, "{api: {autoscaling: {maxReplicas: 2}}}",
                        "api.autoscaling.minReplicas must be less than or equal to api.autoscaling.maxReplicas"),
                arguments("worker min > max", null, "{worker: {autoscaling: {minReplicas: 5, maxReplicas: 3}}}",
                        "worker.autoscaling.minReplicas must be less than or equal to worker.autoscaling.maxReplicas"),
                arguments("api replicas 0", null, "{api: {replicas: 0}}", "spec.api.replicas: Invalid value: 0: spec.api.replicas in body should be greater than or equal to 1"),
                arguments("api replicas 101", null, "{api: {replicas: 101}}", "spec.api.replicas in body should be less than or equal to 100"),
                arguments("api minReplicas 0", null, "{api: {autoscaling: {minReplicas: 0}}}", "spec.api.autoscaling.minReplicas in body should be greater than or equal to 1"),
                arguments("api cpu target 101", null, "{api: {autoscaling: {targetCPUUtilization: 101}}}", "spec.api.autoscaling.targetCPUUtilization in body should be less than or equal to 100"),
                arguments("api memory target 0", null, "{api: {autoscaling: {targetMemoryUtilization: 0}}}", "spec.api.autoscaling.targetMemoryUtilization in body should be greater than or equal to 1"),
                arguments("api requests per second 0", null, "{api: {autoscaling: {targetRequestsPerSecond: 0}}}", "spec.api.autoscaling.targetRequestsPerSecond in body should be greater than or equal to 1"),
                arguments("worker replicas 0", null, "{worker: {replicas: 0}}", "spec.worker.replicas in body should be greater than or equal to 1"),
                arguments("cache ttl 0", null, "{api: {cache: {ttlSeconds: 0}}}", "spec.api.cache.ttlSeconds in body should be greater than or equal to 1"),
                arguments("cache ttl above a day", null, "{api: {cache: {ttlSeconds: 86401}}}", "spec.api.cache.ttlSeconds in body should be less than or equal to 86400"),
                arguments("negative lag", null, "{api: {readSplit: {maxReplicaLagSeconds: -1}}}", "spec.api.readSplit.maxReplicaLagSeconds in body should be greater than or equal to 0"),
                arguments("lag above an hour", null, "{api: {readSplit: {maxReplicaLagSeconds: 3601}}}", "spec.api.readSplit.maxReplicaLagSeconds in body should be less than or equal to 3600"),
                arguments("unknown pull policy", null, "{api: {imagePullPolicy: Sometimes}}", "spec.api.imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""),
                arguments("unknown engine", null, "{mysql: {engine: Postgres}}", "spec.mysql.engine: Unsupported value: \"Postgres\": supported values: \"MariaDB\", \"MySQL\""),
                arguments("ten replicas", null, "{mysql: {replicas: 10}}", "spec.mysql.replicas in body should be less than or equal to 9"),
                arguments("negative replicas", null, "{mysql: {replicas: -1}}", "spec.mysql.replicas in body should be greater than or equal to 0"),
                arguments("binlogs kept 0 hours", null, "{mysql: {binlogExpiryHours: 0}}", "spec.mysql.binlogExpiryHours in body should be greater than or equal to 1"),
                arguments("binlogs kept over a year", null, "{mysql: {binlogExpiryHours: 8761}}", "spec.mysql.binlogExpiryHours in body should be less than or equal to 8760"),
                arguments("storage size not a quantity", null, "{mysql: {storage: {size: ten gigs}}}", "mysql.storage.size must be a quantity such as 10Gi"),
                arguments("redis memory not a quantity", null, "{redis: {maxMemory: lots}}", "redis.maxMemory must be a quantity such as 256Mi or 1Gi"),
                arguments("an operator label among the pod labels", null, "{api: {podLabels: {app.kubernetes.io/component: worker}}}",
                        "podLabels may not set the operator's labels"),
                arguments("a teachtrack.io label among the pod labels", null, "{mysql: {podLabels: {teachtrack.io/role: primary}}}",
                        "podLabels may not set the operator's labels"),
                arguments("a teachtrack.io pod annotation", null, "{worker: {podAnnotations: {teachtrack.io/credentials-version: x}}}",
                        "podAnnotations under teachtrack.io/ are the operator's"),
                arguments("an ExternalName API Service", null, "{api: {service: {type: ExternalName}}}",
                        "spec.api.service.type: Unsupported value: \"ExternalName\": supported values: \"ClusterIP\", \"LoadBalancer\", \"NodePort\""),
                arguments("a toleration that is not an object", null, "{redis: {tolerations: [NoSchedule]}}",
                        "spec.redis.tolerations[0]: Invalid value: \"string\": spec.redis.tolerations[0] in body must be of type object"),
                arguments("cache flag not a boolean", null, "{api: {cache: {enabled: \"yes\"}}}", "spec.api.cache.enabled: Invalid value: \"string\": spec.api.cache.enabled in body must be of type boolean"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void invalidOnCreate(String description, String name, String spec, String expectedMessage) {
        GenericKubernetesResource tt = teachTrack(name != null ? name : uniqueName(), spec);
        assertRejected(() -> create(tt), expectedMessage);
    }

    static Stream<Arguments> invalidOnUpdate() {
        return Stream.of(
                arguments("engine change", "{mysql: {engine: MySQL}}",
                        (Consumer<Map<String, Object>>) spec -> mysql(spec).put("engine", "MariaDB"),
                        "mysql.engine is immutable"),
                arguments("storage shrink", "{mysql: {storage: {size: 20Gi}}}",
                        (Consumer<Map<String, Object>>) spec -> storage(spec).put("size", "19Gi"),
                        "mysql.storage.size may grow but never shrink"),
                arguments("storage shrink across units", "{mysql: {storage: {size: 1Ti}}}",
                        (Consumer<Map<String, Object>>) spec -> storage(spec).put("size", "1000Gi"),
                        "mysql.storage.size may grow but never shrink"),
                arguments("storage class change", "{mysql: {storage: {storageClassName: fast}}}",
                        (Consumer<Map<String, Object>>) spec -> storage(spec).put("storageClassName", "slow"),
                        "mysql.storage.storageClassName is immutable"),
                arguments("storage class set later", "{}",
                        (Consumer<Map<String, Object>>) spec -> storage(spec).put("storageClassName", "fast"),
                        "mysql.storage.storageClassName is immutable"),
                arguments("storage class removed", "{mysql: {storage: {storageClassName: fast}}}",
                        (Consumer<Map<String, Object>>) spec -> storage(spec).remove("storageClassName"),
                        "mysql.storage.storageClassName is immutable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void invalidOnUpdate(String description, String initialSpec, Consumer<Map<String, Object>> change, String expectedMessage) {
        GenericKubernetesResource created = create(teachTrack(uniqueName(), initialSpec));
        change.accept(spec(created));
        assertRejected(() -> client.resource(created).update(), expectedMessage);
    }

    @Test
    void storageMayGrowAndEqualQuantitiesInOtherUnitsAreNotAShrink() {
        GenericKubernetesResource created = create(teachTrack(uniqueName(), "{mysql: {storage: {size: 10Gi}}}"));
        storage(spec(created)).put("size", "10240Mi");
        GenericKubernetesResource same = client.resource(created).update();
        storage(spec(same)).put("size", "50Gi");
        GenericKubernetesResource grown = client.resource(same).update();
        assertThat(storage(spec(grown))).containsEntry("size", "50Gi");
    }

    @Test
    void unknownFieldIsRejectedUnderStrictFieldValidation() {
        GenericKubernetesResource tt = teachTrack(uniqueName(), "{api: {replicaz: 3}}");
        assertThatThrownBy(() -> client.resource(tt).fieldValidation(Validation.STRICT).create())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("unknown field \"spec.api.replicaz\"");
    }

    @Test
    void kubectlGetShowsThePrinterColumns() {
        String name = uniqueName();
        create(teachTrack(name, "{}"));
        String statusPatch = """
                {"status": {"phase": "Ready", "observedGeneration": 1,
                  "conditions": [{"type": "Ready", "status": "True", "reason": "AllComponentsReady", "message": "ok",
                                  "lastTransitionTime": "2026-01-01T00:00:00Z"}],
                  "api": {"replicas": 4, "readyReplicas": 4},
                  "mysql": {"primary": "%s-mysql-0", "readyReplicas": 2, "maxLagSeconds": 0}}}
                """.formatted(name);
        LocalCluster.kubectl("-n", namespace, "patch", "tt", name, "--subresource=status", "--type=merge", "-p", statusPatch);

        String table = LocalCluster.kubectl("-n", namespace, "get", "tt", name);
        assertThat(table.lines().findFirst().orElseThrow().split("\\s+"))
                .containsExactly("NAME", "READY", "PHASE", "API", "REPLICAS", "LAG", "AGE");
        assertThat(table.lines().skip(1).findFirst().orElseThrow().split("\\s+"))
                .startsWith(name, "True", "Ready", "4", "2", "0");

        String wide = LocalCluster.kubectl("-n", namespace, "get", "teachtrack", name, "-o", "wide");
        assertThat(wide.lines().findFirst().orElseThrow().split("\\s+"))
                .containsExactly("NAME", "READY", "PHASE", "API", "REPLICAS", "LAG", "AGE", "PRIMARY");
        assertThat(wide).contains(name + "-mysql-0");

        assertThat(LocalCluster.kubectl("-n", namespace, "get", "teachtrack", "-o", "name"))
                .as("category 'teachtrack' lists the resource").contains("teachtrack.teachtrack.io/" + name);
    }

    @Test
    void podOptionsOfEveryComponentAreAcceptedAsGiven() {
        String options = """
                {podLabels: {team: web}, podAnnotations: {example.com/scrape: "true"}, nodeSelector: {pool: school},
                 tolerations: [{key: dedicated, operator: Equal, value: school, effect: NoSchedule}],
                 affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms:
                   [{matchExpressions: [{key: pool, operator: In, values: [school]}]}]}}},
                 topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}],
                 priorityClassName: school-high}""";
        GenericKubernetesResource created = create(teachTrack(uniqueName(), """
                {imagePullSecrets: [{name: registry}], api: %s, worker: %s, redis: %s, mysql: %s}"""
                .formatted(options.replace("{podLabels", "{service: {type: NodePort, annotations: {a: b}}, podLabels"),
                        options, options, options)));
        JsonNode spec = Serialization.jsonMapper().valueToTree(created.getAdditionalProperties().get("spec"));
        for (String component : List.of("api", "worker", "redis", "mysql")) {
            assertThat(spec.at("/" + component + "/tolerations/0/effect").asText()).as(component).isEqualTo("NoSchedule");
            assertThat(spec.at("/" + component + "/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchExpressions/0/values/0").asText())
                    .as(component).isEqualTo("school");
            assertThat(spec.at("/" + component + "/topologySpreadConstraints/0/maxSkew").asInt()).as(component).isEqualTo(1);
            assertThat(spec.at("/" + component + "/podLabels/team").asText()).as(component).isEqualTo("web");
        }
        assertThat(spec.at("/api/service/type").asText()).isEqualTo("NodePort");
        assertThat(spec.at("/imagePullSecrets/0/name").asText()).isEqualTo("registry");
    }

    @Test
    void kubectlExplainPrintsDescriptions() {
        String explain = explain("tt.spec.mysql", "Number of read replicas");
        assertThat(explain)
                .contains("KIND:       TeachTrack")
                .contains("The MySQL primary and its read replicas")
                .contains("engine")
                .contains("Database engine: MySQL (default image: MySQL 9.7 built by make images) or")
                .contains("binlogExpiryHours")
                .contains("Number of read replicas, 0..9");
        assertThat(explain("tt.spec.api.autoscaling.minReplicas", "Fewest API pods")).contains("Fewest API pods the autoscaler keeps");
        assertThat(explain("tt.spec", "The platform")).contains("The platform the operator builds");
        assertThat(explain("tt.spec.mysql.tolerations.effect", "Effect indicates"))
                .as("the embedded Kubernetes types have Kubernetes' descriptions").contains("Effect indicates the taint effect to match");
        assertThat(explain("tt.status.conditions.reason", "reason contains")).contains("reason contains a programmatic identifier");
    }

    // --- helpers ---

    /**
     * {@code kubectl explain}, once the API server has published the CRD's current schema: right after a CRD
     * is installed or changed, its OpenAPI document follows a few seconds later. Gives up (and the assertions
     * on its output then fail) after 60 seconds.
     */
    private static String explain(String path, String published) {
        AtomicReference<String> last = new AtomicReference<>("");
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> {
                        last.set(LocalCluster.kubectl("explain", path));
                        return last.get().contains(published);
                    });
        } catch (ConditionTimeoutException e) {
            // fall through: the caller's assertions report what kubectl printed
        }
        return last.get();
    }

    private static String uniqueName() {
        return "school-" + NAMES.incrementAndGet();
    }

    private static GenericKubernetesResource teachTrack(String name, String specYaml) {
        String yaml = """
                apiVersion: teachtrack.io/v1alpha1
                kind: TeachTrack
                metadata:
                  name: "%s"
                  namespace: %s
                spec: %s
                """.formatted(name, namespace, specYaml);
        return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    }

    private static GenericKubernetesResource create(GenericKubernetesResource tt) {
        return client.resource(tt).create();
    }

    private static void assertRejected(ThrowableAssert.ThrowingCallable call, String expectedMessage) {
        assertThatThrownBy(call)
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining(expectedMessage);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource tt) {
        return (Map<String, Object>) tt.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mysql(Map<String, Object> spec) {
        return (Map<String, Object>) spec.get("mysql");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> storage(Map<String, Object> spec) {
        return (Map<String, Object>) mysql(spec).get("storage");
    }
}
