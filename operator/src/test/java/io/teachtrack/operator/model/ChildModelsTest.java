package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.operator.api.v1alpha1.MysqlStatus;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.api.v1alpha1.TeachTrackStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Every desired-state builder, with no server: names, labels, ownership, security and the env contract. */
class ChildModelsTest {

    private final TeachTrack tt = TeachTracks.school();

    private List<HasMetadata> allChildren(TeachTrack tt) {
        return List.of(
                CredentialsModel.desired(tt, null, new CredentialGenerator(), List.of()),
                MysqlConfigModel.desired(tt),
                MysqlModel.headlessService(tt),
                MysqlModel.roleService(tt, MysqlRole.PRIMARY),
                MysqlModel.roleService(tt, MysqlRole.REPLICA),
                MysqlModel.statefulSet(tt, TeachTracks.DEFAULTS, null),
                RedisModel.deployment(tt, TeachTracks.DEFAULTS),
                RedisModel.service(tt),
                AppModel.api(tt, TeachTracks.DEFAULTS),
                AppModel.worker(tt, TeachTracks.DEFAULTS),
                AppModel.apiService(tt),
                AutoscalerModel.api(tt),
                AutoscalerModel.worker(tt),
                DisruptionBudgetModel.api(tt),
                DisruptionBudgetModel.mysql(tt),
                NetworkPolicyModel.mysql(tt, Optional.of("teachtrack-system")),
                NetworkPolicyModel.redis(tt));
    }

    @Test
    void apiAndWorkerPodsHaveTimeToServeOnAfterSigtermAndFinishTheirRequests() {
        // The image keeps serving for 10 s after SIGTERM (until every proxy dropped the pod), then waits up to 20 s.
        assertThat(List.of(AppModel.api(tt, TeachTracks.DEFAULTS), AppModel.worker(tt, TeachTracks.DEFAULTS)))
                .allSatisfy(d -> assertThat(d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(40L));
    }

    @Test
    void childrenHaveTheDesignNames() {
        assertThat(allChildren(tt)).extracting(c -> c.getKind() + "/" + c.getMetadata().getName()).containsExactly(
                "Secret/school-credentials", "ConfigMap/school-mysql-config", "Service/school-mysql",
                "Service/school-mysql-primary", "Service/school-mysql-replicas", "StatefulSet/school-mysql",
                "Deployment/school-redis", "Service/school-redis",
                "Deployment/school-api", "Deployment/school-worker", "Service/school-api",
                "HorizontalPodAutoscaler/school-api", "HorizontalPodAutoscaler/school-worker",
                "PodDisruptionBudget/school-api", "PodDisruptionBudget/school-mysql",
                "NetworkPolicy/school-mysql", "NetworkPolicy/school-redis");
    }

    @Test
    void everyChildIsLabelledAndOwnedAndCarriesNothingFromTheTeachTrack() {
        for (HasMetadata child : allChildren(tt)) {
            Map<String, String> labels = child.getMetadata().getLabels();
            assertThat(labels).as(child.getKind()).containsEntry("app.kubernetes.io/name", "teachtrack")
                    .containsEntry("app.kubernetes.io/part-of", "teachtrack")
                    .containsEntry("app.kubernetes.io/managed-by", "teachtrack-operator")
                    .containsEntry("teachtrack.io/instance", "school")
                    .containsKey("app.kubernetes.io/component")
                    .doesNotContainKeys("app.kubernetes.io/instance", "team");
            assertThat(labels.get("app.kubernetes.io/component")).isIn("api", "worker", "redis", "mysql");
            assertThat(child.getMetadata().getAnnotations()).as(child.getKind())
                    .satisfiesAnyOf(a -> assertThat(a).isNullOrEmpty(), a -> assertThat(a).containsOnlyKeys(StorageModel.APPLIED_SIZE));
            assertThat(child.getMetadata().getNamespace()).isEqualTo("edu");
            assertThat(child.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
                assertThat(ref.getKind()).isEqualTo("TeachTrack");
                assertThat(ref.getApiVersion()).isEqualTo("teachtrack.io/v1alpha1");
                assertThat(ref.getUid()).isEqualTo(tt.getMetadata().getUid());
                assertThat(ref.getController()).isTrue();
                assertThat(ref.getBlockOwnerDeletion()).isTrue();
            });
            template(child).ifPresent(template -> {
                assertThat(template.getMetadata().getLabels()).doesNotContainKeys("app.kubernetes.io/instance", "team");
                assertThat(template.getMetadata().getAnnotations()).isNullOrEmpty();
            });
        }
    }

    @Test
    void everyPodRunsAsNonRootWithoutPrivilegesOrCapabilities() {
        for (HasMetadata child : allChildren(tt)) {
            template(child).ifPresent(template -> {
                PodSpec pod = template.getSpec();
                assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(child.getMetadata().getName()).isTrue();
                assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
                assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
                for (Container c : pod.getContainers()) {
                    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                    assertThat(c.getSecurityContext().getPrivileged()).isFalse();
                    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
                    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                    assertThat(c.getReadinessProbe()).as(c.getName() + " readiness").isNotNull();
                    assertThat(c.getLivenessProbe()).as(c.getName() + " liveness").isNotNull();
                    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
                }
            });
        }
    }

    @Test
    void appliedDeploymentsNeverCarryReplicas() {
        assertThat(AppModel.api(tt, TeachTracks.DEFAULTS).getSpec().getReplicas()).isNull();
        assertThat(AppModel.worker(tt, TeachTracks.DEFAULTS).getSpec().getReplicas()).isNull();
        tt.getSpec().getApi().getAutoscaling().setEnabled(false);
        assertThat(AppModel.api(tt, TeachTracks.DEFAULTS).getSpec().getReplicas()).isNull();
    }

    @Test
    void podCountsAreSetOnlyWhereTheAutoscalerDoesNotDecide() {
        var autoscaling = tt.getSpec().getApi().getAutoscaling();
        assertThat(AppModel.replicasToSet(autoscaling, 2, null)).as("a new Deployment starts at the minimum").hasValue(4);
        assertThat(AppModel.replicasToSet(autoscaling, 2, 1)).as("an HPA without metrics never raises it").hasValue(4);
        assertThat(AppModel.replicasToSet(autoscaling, 2, 7)).as("within the bounds the HPA decides").isEmpty();
        assertThat(AppModel.replicasToSet(autoscaling, 2, 4)).isEmpty();
        autoscaling.setEnabled(false);
        assertThat(AppModel.replicasToSet(autoscaling, 3, 7)).as("autoscaling off: the spec's count").hasValue(3);
        assertThat(AppModel.replicasToSet(autoscaling, 3, 3)).isEmpty();
    }

    @Test
    void autoscalersTargetTheirDeploymentWithMetricsInAStableOrder() {
        var api = AutoscalerModel.api(tt);
        assertThat(api.getSpec().getScaleTargetRef().getName()).isEqualTo("school-api");
        assertThat(api.getSpec().getMinReplicas()).isEqualTo(4);
        assertThat(api.getSpec().getMaxReplicas()).isEqualTo(16);
        assertThat(api.getSpec().getMetrics()).extracting(m -> m.getResource().getName() + "=" + m.getResource().getTarget().getAverageUtilization())
                .containsExactly("cpu=70", "memory=80");
        assertThat(AutoscalerModel.worker(tt).getSpec().getMetrics()).extracting(m -> m.getResource().getName())
                .containsExactly("cpu");

        tt.getSpec().getApi().getAutoscaling().setTargetRequestsPerSecond(150);
        assertThat(AutoscalerModel.api(tt).getSpec().getMetrics()).extracting(MetricSpec::getType).containsExactly("Resource", "Resource", "Pods");
        MetricSpec requests = AutoscalerModel.api(tt).getSpec().getMetrics().get(2);
        assertThat(requests.getPods().getMetric().getName()).isEqualTo("http_server_requests_per_second");
        assertThat(requests.getPods().getTarget().getType()).isEqualTo("AverageValue");
        assertThat(requests.getPods().getTarget().getAverageValue()).isEqualTo(new Quantity("150"));
    }

    @Test
    void theApiMemoryRequestIsItsLimitSoTheMemoryTargetMeasuresWhatTheJvmMayUse() {
        var resources = AppModel.api(tt, TeachTracks.DEFAULTS).getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
        assertThat(resources.getRequests().get("memory")).isEqualTo(new Quantity("512Mi")).isEqualTo(resources.getLimits().get("memory"));
    }

    @Test
    void apiAndWorkerGetTheEnvironmentContractWithSecretsByReference() {
        Map<String, EnvVar> api = env(AppModel.api(tt, TeachTracks.DEFAULTS));
        assertThat(api.get("TEACHTRACK_ROLE").getValue()).isEqualTo("api");
        assertThat(env(AppModel.worker(tt, TeachTracks.DEFAULTS)).get("TEACHTRACK_ROLE").getValue()).isEqualTo("worker");
        assertThat(api.get("TEACHTRACK_DB_PRIMARY_URL").getValue()).isEqualTo("jdbc:mysql://school-mysql-primary.edu.svc:3306/teachtrack");
        assertThat(api.get("TEACHTRACK_DB_REPLICA_URL").getValue()).isEqualTo("jdbc:mysql://school-mysql-replicas.edu.svc:3306/teachtrack");
        assertThat(api.get("TEACHTRACK_DB_USER").getValue()).isEqualTo("teachtrack");
        assertThat(api.get("TEACHTRACK_REDIS_URL").getValue()).isEqualTo("redis://school-redis.edu.svc:6379");
        assertThat(api.get("TEACHTRACK_CACHE_TTL_SECONDS").getValue()).isEqualTo("1800");
        assertThat(api.get("TEACHTRACK_READ_MAX_LAG_SECONDS").getValue()).isEqualTo("2");
        Map<String, String> secretKeys = Map.of(
                "TEACHTRACK_DB_PASSWORD", "mysql-app-password",
                "TEACHTRACK_JWT_PUBLIC_KEY", "jwt-public-key",
                "TEACHTRACK_JWT_PRIVATE_KEY", "jwt-private-key",
                "TEACHTRACK_ADMIN_PASSWORD", "admin-password",
                "TEACHTRACK_REDIS_PASSWORD", "redis-password");
        secretKeys.forEach((variable, key) -> {
            EnvVar e = api.get(variable);
            assertThat(e.getValue()).as(variable + " is never inlined").isNull();
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("school-credentials");
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(key);
        });
        assertThat(api).as("text logs unless the operator is told otherwise").doesNotContainKey("QUARKUS_LOG_CONSOLE_JSON_ENABLED");
    }

    @Test
    void withJsonLogsTheApiAndWorkerLogJsonToo() {
        PlatformDefaults json = new PlatformDefaults(TeachTracks.DEFAULTS.apiImage(), TeachTracks.DEFAULTS.databaseImages(),
                TeachTracks.DEFAULTS.redisImage(), LogFormat.JSON);
        assertThat(env(AppModel.api(tt, json)).get("QUARKUS_LOG_CONSOLE_JSON_ENABLED").getValue()).isEqualTo("true");
        assertThat(env(AppModel.worker(tt, json)).get("QUARKUS_LOG_CONSOLE_JSON_ENABLED").getValue()).isEqualTo("true");
    }

    @Test
    void replicaAndRedisUrlsAreAbsentWhenTheirFeatureIsOff() {
        tt.getSpec().getMysql().setReplicas(0);
        tt.getSpec().getApi().getCache().setEnabled(false);
        Map<String, EnvVar> env = env(AppModel.api(tt, TeachTracks.DEFAULTS));
        assertThat(env).doesNotContainKeys("TEACHTRACK_DB_REPLICA_URL", "TEACHTRACK_REDIS_URL", "TEACHTRACK_REDIS_PASSWORD");

        tt.getSpec().getMysql().setReplicas(2);
        tt.getSpec().getApi().getReadSplit().setEnabled(false);
        assertThat(env(AppModel.api(tt, TeachTracks.DEFAULTS))).doesNotContainKey("TEACHTRACK_DB_REPLICA_URL");
    }

    @Test
    void imagesComeFromTheSpecOrTheOperatorDefaults() {
        assertThat(container(AppModel.api(tt, TeachTracks.DEFAULTS)).getImage()).isEqualTo("example.com/teachtrack-api:1.0");
        tt.getSpec().getApi().setImage("example.com/teachtrack-api:2.0");
        assertThat(container(AppModel.worker(tt, TeachTracks.DEFAULTS)).getImage()).isEqualTo("example.com/teachtrack-api:2.0");
        assertThat(mysqlContainer().getImage()).isEqualTo("localhost/teachtrack/mysql:9.7");
        tt.getSpec().getMysql().setEngine(MysqlEngine.MariaDB);
        assertThat(mysqlContainer().getImage()).isEqualTo("localhost/teachtrack/mariadb:11.8");
        tt.getSpec().getMysql().setImage("mariadb:10.11");
        assertThat(mysqlContainer().getImage()).isEqualTo("mariadb:10.11");
    }

    @Test
    void oneMysqlStatefulSetHoldsThePrimaryAndTheReplicasWithNoRoleInItsSelector() {
        StatefulSet mysql = MysqlModel.statefulSet(tt, TeachTracks.DEFAULTS, null);
        assertThat(mysql.getMetadata().getName()).isEqualTo("school-mysql");
        assertThat(mysql.getSpec().getReplicas()).as("the primary and spec.mysql.replicas replicas").isEqualTo(3);
        assertThat(mysql.getSpec().getServiceName()).isEqualTo("school-mysql");
        assertThat(mysql.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(mysql.getSpec().getUpdateStrategy().getType()).as("the operator rolls the pods, primary last").isEqualTo("OnDelete");
        assertThat(mysql.getSpec().getSelector().getMatchLabels()).doesNotContainKey("teachtrack.io/role")
                .containsEntry("app.kubernetes.io/component", "mysql");
        assertThat(mysql.getSpec().getTemplate().getMetadata().getLabels()).as("the operator sets roles on the pods")
                .doesNotContainKey("teachtrack.io/role");
        assertThat(mysql.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(pvc ->
                assertThat(pvc.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("10Gi")));
        assertThat(mysql.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
        assertThat(env(mysql.getSpec().getTemplate().getSpec().getContainers().get(0)).get("SERVER_ID_BASE").getValue()).isEqualTo("1");
        assertThat(mysql.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution()).singleElement()
                .satisfies(t -> assertThat(t.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname"));

        // Claim templates cannot change in Kubernetes: a grown size goes to the PVCs, the template stays.
        StatefulSet existing = new StatefulSetBuilder(mysql).build();
        tt.getSpec().getMysql().getStorage().setSize("50Gi");
        assertThat(MysqlModel.statefulSet(tt, TeachTracks.DEFAULTS, existing).getSpec().getVolumeClaimTemplates())
                .isEqualTo(existing.getSpec().getVolumeClaimTemplates());
    }

    @Test
    void scalingDownNeverRemovesTheRecordedPrimarysPod() {
        tt.getSpec().getMysql().setReplicas(1);
        assertThat(MysqlModel.statefulSet(tt, TeachTracks.DEFAULTS, null).getSpec().getReplicas()).isEqualTo(2);
        TeachTrackStatus status = new TeachTrackStatus();
        status.setMysql(new MysqlStatus());
        status.getMysql().setPrimary("school-mysql-3");
        tt.setStatus(status);
        assertThat(MysqlMembers.primaryOrdinal(tt)).isEqualTo(3);
        assertThat(MysqlModel.statefulSet(tt, TeachTracks.DEFAULTS, null).getSpec().getReplicas())
                .as("pods 0..3 stay while pod 3 is the primary").isEqualTo(4);
        status.getMysql().setPrimary("other-mysql-1");
        assertThat(MysqlMembers.primaryOrdinal(tt)).as("a record naming no pod of this TeachTrack").isZero();
    }

    @Test
    void roleServicesSelectByRoleLabel() {
        assertThat(MysqlModel.roleService(tt, MysqlRole.PRIMARY).getSpec().getSelector())
                .containsEntry("teachtrack.io/role", "primary").doesNotContainKey("statefulset.kubernetes.io/pod-name");
        assertThat(MysqlModel.roleService(tt, MysqlRole.REPLICA).getSpec().getSelector()).containsEntry("teachtrack.io/role", "replica");
        assertThat(MysqlModel.headlessService(tt).getSpec().getClusterIP()).isEqualTo("None");
        // The API resolves the replicas' name to the replicas themselves (one pool each); only ready ones are listed.
        assertThat(MysqlModel.roleService(tt, MysqlRole.REPLICA).getSpec().getClusterIP()).isEqualTo("None");
        assertThat(MysqlModel.roleService(tt, MysqlRole.REPLICA).getSpec().getPublishNotReadyAddresses()).isNotEqualTo(true);
        assertThat(MysqlModel.roleService(tt, MysqlRole.PRIMARY).getSpec().getClusterIP()).as("writes go through a virtual IP").isNull();
    }

    @Test
    void redisIsACacheWithMaxMemoryFromTheSpec() {
        tt.getSpec().getRedis().setMaxMemory("1Gi");
        Container redis = container(RedisModel.deployment(tt, TeachTracks.DEFAULTS));
        assertThat(redis.getArgs()).containsSequence("--maxmemory", "1073741824")
                .containsSequence("--maxmemory-policy", "allkeys-lru")
                .containsSequence("--save", "")
                .containsSequence("--appendonly", "no");
        assertThat(redis.getResources().getLimits()).containsEntry("memory", new Quantity("1152Mi"));
    }

    @Test
    void redisRequiresThePasswordFromTheSecretWhichThePodSpecNeverHolds() {
        Container redis = container(RedisModel.deployment(tt, TeachTracks.DEFAULTS));
        assertThat(redis.getArgs()).containsSequence("--requirepass", "$(REDIS_PASSWORD)").doesNotContain("--protected-mode");
        Map<String, EnvVar> env = redis.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertThat(env).containsOnlyKeys("REDIS_PASSWORD", "REDISCLI_AUTH");
        env.values().forEach(e -> {
            assertThat(e.getValue()).isNull();
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("school-credentials");
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("redis-password");
        });
        assertThat(redis.getReadinessProbe().getExec().getCommand()).containsExactly("redis-cli", "ping");
    }

    @Test
    void networkPoliciesAdmitOnlyThisTeachTracksPodsAndToMysqlTheOperatorFromItsOwnNamespace() {
        var mysql = NetworkPolicyModel.mysql(tt, Optional.of("teachtrack-system")).getSpec();
        assertThat(mysql.getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "mysql");
        assertThat(mysql.getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(3306);
            assertThat(rule.getFrom()).hasSize(2);
            var sameInstance = rule.getFrom().get(0);
            assertThat(sameInstance.getNamespaceSelector()).as("this namespace only").isNull();
            assertThat(sameInstance.getPodSelector().getMatchLabels()).containsExactly(entry("teachtrack.io/instance", "school"));
            assertThat(sameInstance.getPodSelector().getMatchExpressions().get(0).getValues()).containsExactly("api", "worker", "mysql");
            var operator = rule.getFrom().get(1);
            assertThat(operator.getNamespaceSelector().getMatchLabels()).as("a label anyone can set is not enough")
                    .containsExactly(entry("kubernetes.io/metadata.name", "teachtrack-system"));
            assertThat(operator.getNamespaceSelector().getMatchExpressions()).isEmpty();
            assertThat(operator.getPodSelector().getMatchLabels()).containsExactly(entry("app.kubernetes.io/name", "teachtrack-operator"));
        });
        assertThat(NetworkPolicyModel.mysql(tt, Optional.empty()).getSpec().getIngress().get(0).getFrom())
                .as("an operator outside the cluster connects from a node: no pod is admitted for it").hasSize(1);

        var redis = NetworkPolicyModel.redis(tt).getSpec().getIngress();
        assertThat(redis).singleElement().satisfies(rule -> {
            assertThat(rule.getFrom()).as("the operator never connects to Redis").singleElement().satisfies(peer -> {
                assertThat(peer.getNamespaceSelector()).isNull();
                assertThat(peer.getPodSelector().getMatchExpressions().get(0).getValues()).containsExactly("api", "worker");
            });
        });
    }

    @Test
    void mysqlConfigIsPerEngineAndTheSameForEveryRole() {
        var mysql = MysqlConfigModel.desired(tt).getData();
        assertThat(mysql).containsOnlyKeys("my.cnf", "start.sh");
        assertThat(mysql.get("my.cnf")).startsWith("# TeachTrack").contains("[mysqld]", "gtid_mode = ON", "enforce_gtid_consistency = ON",
                "sync_binlog = 1", "innodb_flush_log_at_trx_commit = 1", "read_only = ON", "super_read_only = ON",
                "skip_replica_start = ON", "datadir = /var/lib/mysql/data");
        tt.getSpec().getMysql().setEngine(MysqlEngine.MariaDB);
        var mariadb = MysqlConfigModel.desired(tt).getData();
        assertThat(mariadb.get("my.cnf")).contains("[mariadbd]", "gtid_strict_mode = ON", "binlog_format = ROW", "sync_binlog = 1",
                "innodb_flush_log_at_trx_commit = 1", "read_only = ON", "skip_slave_start = ON").doesNotContain("gtid_mode", "super_read_only");
        assertThat(mariadb.get("start.sh")).isEqualTo(mysql.get("start.sh"))
                .startsWith("#!/bin/sh").contains("mysqld --no-defaults --initialize-insecure", "mariadb-install-db --no-defaults")
                .as("the password goes through a pipe, never an argument").contains("mkfifo").doesNotContain("--password");
    }

    @Test
    void databasePodsRunTheStartScriptWithThePasswordInAVolumeNotTheEnvironment() {
        tt.getSpec().getMysql().setBinlogExpiryHours(48);
        var pod = MysqlModel.statefulSet(tt, TeachTracks.DEFAULTS, null).getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        assertThat(container.getCommand()).containsExactly("/etc/teachtrack/start.sh");
        assertThat(env(container)).containsOnlyKeys("TEACHTRACK_DB_ENGINE", "SERVER_ID_BASE", "BINLOG_EXPIRE_SECONDS");
        assertThat(env(container).get("TEACHTRACK_DB_ENGINE").getValue()).isEqualTo("MySQL");
        assertThat(env(container).get("BINLOG_EXPIRE_SECONDS").getValue()).isEqualTo(String.valueOf(48 * 3600));
        assertThat(container.getVolumeMounts()).extracting(m -> m.getMountPath())
                .containsExactlyInAnyOrder("/var/lib/mysql", "/etc/teachtrack", "/etc/teachtrack-secret", "/var/run/mysqld", "/tmp");
        var secret = pod.getVolumes().stream().filter(v -> v.getSecret() != null).findFirst().orElseThrow().getSecret();
        assertThat(secret.getSecretName()).isEqualTo("school-credentials");
        assertThat(secret.getItems()).extracting(i -> i.getKey()).containsExactly("mysql-root-password");
        var config = pod.getVolumes().stream().filter(v -> v.getConfigMap() != null).findFirst().orElseThrow().getConfigMap();
        assertThat(config.getItems()).filteredOn(i -> i.getKey().equals("start.sh")).singleElement()
                .satisfies(i -> assertThat(i.getMode()).isEqualTo(0555));
    }

    @Test
    void disruptionBudgetsAllowOneVoluntaryEvictionAtATime() {
        assertThat(DisruptionBudgetModel.api(tt).getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(DisruptionBudgetModel.mysql(tt).getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(DisruptionBudgetModel.mysql(tt).getSpec().getSelector().getMatchLabels()).as("every MySQL server, whatever its role")
                .containsEntry("app.kubernetes.io/component", "mysql").doesNotContainKey("teachtrack.io/role");
    }

    private Container mysqlContainer() {
        return MysqlModel.statefulSet(tt, TeachTracks.DEFAULTS, null).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Map<String, EnvVar> env(Deployment deployment) {
        return env(container(deployment));
    }

    private static Map<String, EnvVar> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    private static Optional<PodTemplateSpec> template(HasMetadata child) {
        if (child instanceof Deployment d) {
            return Optional.of(d.getSpec().getTemplate());
        }
        if (child instanceof StatefulSet s) {
            return Optional.of(s.getSpec().getTemplate());
        }
        return Optional.empty();
    }
}
