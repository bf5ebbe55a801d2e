package io.teachtrack.operator.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.smallrye.config.WithDefault;
import io.teachtrack.operator.config.OperatorSettings;
import io.teachtrack.operator.testing.MonitoringBundle;
import io.teachtrack.operator.testing.OperatorChart;
import io.teachtrack.operator.testing.OperatorFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chart with real Helm: lint, schema, rendering and least-privilege RBAC. */
class HelmChartTest {

    /**
     * Every permission the operator uses, and so every one it gets (TeachTrackOperatorIT measures them): informers
     * (list/watch), create and replace for Secrets and ConfigMaps, server-side apply (patch, authorized as create when
     * it creates) on every other child kind, delete for children whose
     * precondition lapses, status patches on TeachTracks, pod reads for pod-ip addressing, events, the Lease.
     */
    static final Set<String> OPERATOR_PERMISSIONS = permissions(
            "teachtrack.io/teachtracks:list,watch",
            "teachtrack.io/teachtracks/status:patch",
            "teachtrack.io/teachtracks/finalizers:update",
            "/secrets:list,watch,create,update",
            "/configmaps:list,watch,create,update",
            "/services:list,watch,create,patch,delete",
            "apps/deployments:list,watch,create,patch,delete",
            "apps/statefulsets:list,watch,create,patch",
            "autoscaling/horizontalpodautoscalers:list,watch,create,patch,delete",
            "policy/poddisruptionbudgets:list,watch,create,patch",
            "networking.k8s.io/networkpolicies:list,watch,create,patch,delete",
            "/pods:get,list,watch,patch",
            "/pods/eviction:create",
            "/persistentvolumeclaims:get,list,watch,patch",
            "/events:create");

    @Test
    void lintStrictPasses() {
        LintResult lint = OperatorChart.helm().lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void valuesThatBreakTheSchemaAreRejected() {
        for (Map<String, Object> bad : List.of(
                Map.<String, Object>of("replicaCount", "two"),
                Map.<String, Object>of("replicaCount", 0),
                Map.<String, Object>of("mysql.addressMode", "udp"),
                Map.<String, Object>of("mysql.pollInterval", "soon"),
                Map.<String, Object>of("image.pullPolicy", "Sometimes"),
                Map.<String, Object>of("watchNamespaces[0]", "Not_A_Namespace"),
                Map.<String, Object>of("nameOverride", "Not_A_Name"),
                Map.<String, Object>of("extraEnv[0].value", "no name"),
                Map.<String, Object>of("crds.create", "yes"),
                Map.<String, Object>of("podLabels.team", 7),
                Map.<String, Object>of("logFormat", "xml"),
                Map.<String, Object>of("unknownSetting", true))) {
            assertThatThrownBy(() -> OperatorChart.render("teachtrack-system", bad)).as(bad.toString())
                    .hasMessageContaining("schema");
        }
    }

    @Test
    void defaultsRenderAClusterWideSingleReplicaOperator() {
        List<HasMetadata> objects = OperatorChart.objects(OperatorChart.render("teachtrack-system", Map.of()));
        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).containsExactlyInAnyOrder(
                "ServiceAccount/teachtrack-teachtrack-operator", "ClusterRole/teachtrack-teachtrack-operator",
                "ClusterRole/teachtrack-teachtrack-operator-view", "ClusterRole/teachtrack-teachtrack-operator-edit",
                "ClusterRoleBinding/teachtrack-teachtrack-operator", "Role/teachtrack-teachtrack-operator-leader-election",
                "RoleBinding/teachtrack-teachtrack-operator-leader-election", "Deployment/teachtrack-teachtrack-operator",
                "Service/teachtrack-teachtrack-operator-metrics", "CustomResourceDefinition/teachtracks.teachtrack.io");
        Deployment deployment = find(objects, Deployment.class);
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        var container = pod.getContainers().get(0);
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getImage()).isEqualTo("localhost/teachtrack/teachtrack-operator:0.1.0");
        assertThat(env(deployment)).as("helm upgrade runs a second pod beside the first: leader election keeps them apart")
                .containsEntry("TEACHTRACK_LEADER_ELECTION_ENABLED", "true")
                .containsEntry("QUARKUS_OPERATOR_SDK_CONTROLLERS_TEACHTRACK_NAMESPACES", "JOSDK_ALL_NAMESPACES")
                .containsEntry("TEACHTRACK_IMAGES_MARIADB", "localhost/teachtrack/mariadb:11.8")
                .containsEntry("TEACHTRACK_IMAGES_MYSQL", "localhost/teachtrack/mysql:9.7")
                .containsEntry("TEACHTRACK_MYSQL_ADDRESS_MODE", "dns")
                .containsEntry("TEACHTRACK_LOG_FORMAT", "text").containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        assertThat(env(find(OperatorChart.objects(OperatorChart.render("ops", Map.of("logFormat", "json"))), Deployment.class)))
                .as("json logs for the operator and, through it, for every platform's pods")
                .containsEntry("TEACHTRACK_LOG_FORMAT", "json").containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");
        assertThat(deployment.getSpec().getStrategy()).as("rolling: the Lease keeps the new pod waiting").isNull();
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .as("TeachTrack NetworkPolicies admit the operator by this label")
                .containsEntry("app.kubernetes.io/name", "teachtrack-operator");
        assertThat(container.getEnv()).as("and from its own namespace only").anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("TEACHTRACK_OPERATOR_NAMESPACE");
            assertThat(env.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        });
    }

    @Test
    void withoutLeaderElectionTheOldPodStopsBeforeTheNewOneStarts() {
        Deployment deployment = find(OperatorChart.objects(OperatorChart.render("ops", Map.of("leaderElection.enabled", false))),
                Deployment.class);
        assertThat(env(deployment)).containsEntry("TEACHTRACK_LEADER_ELECTION_ENABLED", "false");
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        Deployment two = find(OperatorChart.objects(OperatorChart.render("ops", Map.of("leaderElection.enabled", false, "replicaCount", 2))),
                Deployment.class);
        assertThat(env(two)).as("two replicas always elect a leader").containsEntry("TEACHTRACK_LEADER_ELECTION_ENABLED", "true");
        assertThat(two.getSpec().getStrategy()).isNull();
    }

    @Test
    void customValuesRenderLeaderElectionNamespacedBindingsAndAServiceMonitor() {
        List<HasMetadata> objects = OperatorChart.objects(OperatorChart.render("ops", Map.of(
                "replicaCount", 2,
                "watchNamespaces[0]", "edu", "watchNamespaces[1]", "lab",
                "metrics.serviceMonitor.enabled", true,
                "mysql.addressMode", "pod-ip")));
        Deployment deployment = find(objects, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(env(deployment)).containsEntry("TEACHTRACK_LEADER_ELECTION_ENABLED", "true")
                .containsEntry("TEACHTRACK_LEADER_ELECTION_LEASE_NAMESPACE", "ops")
                .containsEntry("QUARKUS_OPERATOR_SDK_CONTROLLERS_TEACHTRACK_NAMESPACES", "edu,lab")
                .containsEntry("TEACHTRACK_MYSQL_ADDRESS_MODE", "pod-ip");
        assertThat(objects).noneMatch(o -> o.getKind().equals("ClusterRoleBinding"));
        assertThat(objects).filteredOn(o -> o.getKind().equals("RoleBinding")
                        && o.getMetadata().getName().equals("teachtrack-teachtrack-operator"))
                .extracting(o -> o.getMetadata().getNamespace()).containsExactlyInAnyOrder("edu", "lab");
        assertThat(objects).filteredOn(o -> o.getKind().equals("ServiceMonitor")).singleElement()
                .satisfies(sm -> assertThat(sm.getMetadata().getNamespace()).isEqualTo("ops"));
    }

    @Test
    void serviceMonitorOnlyWhenEnabled() {
        assertThat(OperatorChart.objects(OperatorChart.render("ops", Map.of()))).noneMatch(o -> o.getKind().equals("ServiceMonitor"));
        assertThat(OperatorChart.objects(OperatorChart.render("ops", Map.of("metrics.serviceMonitor.enabled", true))))
                .anyMatch(o -> o.getKind().equals("ServiceMonitor"));
    }

    @Test
    void theCrdIsTheGeneratedOneKeptOnUninstallUnlessTurnedOff() throws IOException {
        CustomResourceDefinition generated = Serialization.unmarshal(Files.readString(OperatorFiles.committedCrd()), CustomResourceDefinition.class);
        CustomResourceDefinition rendered = find(OperatorChart.objects(OperatorChart.render("ops", Map.of())), CustomResourceDefinition.class);
        assertThat(rendered.getSpec()).as("the chart's CRD is crds/ with metadata added").isEqualTo(generated.getSpec());
        assertThat(rendered.getMetadata().getAnnotations()).as("uninstalling the chart must not delete every TeachTrack")
                .containsEntry("helm.sh/resource-policy", "keep");
        assertThat(rendered.getMetadata().getLabels()).containsEntry("app.kubernetes.io/part-of", "teachtrack");

        CustomResourceDefinition notKept = find(OperatorChart.objects(OperatorChart.render("ops", Map.of("crds.keep", false))),
                CustomResourceDefinition.class);
        assertThat(notKept.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(notKept.getSpec()).isEqualTo(generated.getSpec());
        assertThat(OperatorChart.objects(OperatorChart.render("ops", Map.of("crds.create", false))))
                .noneMatch(o -> o instanceof CustomResourceDefinition);
    }

    @Test
    void standardValuesNameLabelAnnotateAndPrioritiseThePods() {
        List<HasMetadata> renamed = OperatorChart.objects(OperatorChart.render("ops", Map.of("fullnameOverride", "tt-operator")));
        assertThat(renamed).filteredOn(o -> !(o instanceof CustomResourceDefinition))
                .allSatisfy(o -> assertThat(o.getMetadata().getName()).startsWith("tt-operator"));
        assertThat(find(OperatorChart.objects(OperatorChart.render("ops", Map.of("nameOverride", "ops"))), Deployment.class)
                .getMetadata().getName()).isEqualTo("teachtrack-ops");

        Deployment deployment = find(OperatorChart.objects(OperatorChart.render("ops", Map.of(
                "podLabels.team", "platform", "podLabels.app\\.kubernetes\\.io/name", "something-else",
                "podAnnotations.example\\.com/owner", "platform-team",
                "extraEnv[0].name", "QUARKUS_LOG_LEVEL", "extraEnv[0].value", "DEBUG",
                "priorityClassName", "platform-critical"))), Deployment.class);
        var template = deployment.getSpec().getTemplate();
        assertThat(template.getMetadata().getLabels()).containsEntry("team", "platform")
                .as("the chart's own labels win: the Deployment, the Service and NetworkPolicies select by them")
                .containsEntry("app.kubernetes.io/name", "teachtrack-operator");
        assertThat(template.getMetadata().getAnnotations()).containsEntry("example.com/owner", "platform-team");
        assertThat(env(deployment)).containsEntry("QUARKUS_LOG_LEVEL", "DEBUG").containsKey("TEACHTRACK_IMAGES_API");
        assertThat(template.getSpec().getPriorityClassName()).isEqualTo("platform-critical");
    }

    @Test
    void aDisruptionBudgetKeepsOnePodOnlyWhenThereAreTwo() {
        assertThat(OperatorChart.objects(OperatorChart.render("ops", Map.of()))).noneMatch(o -> o instanceof PodDisruptionBudget);
        PodDisruptionBudget budget = find(OperatorChart.objects(OperatorChart.render("ops", Map.of("replicaCount", 2))),
                PodDisruptionBudget.class);
        assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "teachtrack-operator");
        assertThat(OperatorChart.objects(OperatorChart.render("ops", Map.of("replicaCount", 2, "podDisruptionBudget.enabled", false))))
                .noneMatch(o -> o instanceof PodDisruptionBudget);
    }

    @Test
    void theChartReadmeIsGeneratedFromTheValuesComments() throws IOException {
        String generated = OperatorChart.generatedReadme();
        assertThat(generated).as("every value is documented").contains("| crds.keep | bool | `true` |")
                .contains("| podDisruptionBudget.enabled | bool | `true` |");
        assertThat(Files.readString(OperatorChart.committedReadme()))
                .as("helm/teachtrack-operator/README.md is stale: run `make chart-docs` and commit the result")
                .isEqualTo(generated);
    }

    @Test
    void theChartGivesTheOperatorItsOwnDefaultImages() throws NoSuchMethodException {
        Map<String, String> env = env(find(OperatorChart.objects(OperatorChart.render("ops", Map.of())), Deployment.class));
        for (String image : List.of("api", "mysql", "mariadb", "redis")) {
            String operatorDefault = OperatorSettings.Images.class.getMethod(image).getAnnotation(WithDefault.class).value();
            assertThat(env).as("the chart's defaultImages.%s and the operator's own default (`make run`) are one image", image)
                    .containsEntry("TEACHTRACK_IMAGES_" + image.toUpperCase(Locale.ROOT), operatorDefault);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void artifactHubListsTheImagesTheChartDeploys() throws IOException {
        Path chartDir = OperatorChart.committedReadme().getParent();
        Map<String, Object> chart = Serialization.unmarshal(Files.readString(chartDir.resolve("Chart.yaml")), Map.class);
        Map<String, Object> values = Serialization.unmarshal(Files.readString(chartDir.resolve("values.yaml")), Map.class);
        List<Map<String, String>> listed = Serialization.unmarshal(
                ((Map<String, String>) chart.get("annotations")).get("artifacthub.io/images"), List.class);
        Set<String> deployed = new TreeSet<>(((Map<String, String>) values.get("defaultImages")).values());
        deployed.add(((Map<String, String>) values.get("image")).get("repository") + ":" + chart.get("appVersion"));
        assertThat(listed).extracting(image -> image.get("image")).containsExactlyInAnyOrderElementsOf(deployed);
    }

    @Test
    void theMonitoringBundleIsOffByDefault() {
        assertThat(OperatorChart.objects(OperatorChart.render("ops", Map.of())))
                .noneMatch(o -> Set.of("PodMonitor", "PrometheusRule").contains(o.getKind()))
                .noneMatch(o -> o.getMetadata().getName().endsWith("-dashboard"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePodMonitorScrapesTheApiAndWorkerPodsOfTheWatchedNamespacesNamingTheirTeachTrack() {
        Map<String, Object> values = new HashMap<>(MonitoringBundle.ENABLED);
        GenericKubernetesResource everywhere = podMonitor(OperatorChart.objects(OperatorChart.render("ops", values)));
        Map<String, Object> spec = (Map<String, Object>) everywhere.getAdditionalProperties().get("spec");
        assertThat((Map<String, Object>) spec.get("namespaceSelector")).containsEntry("any", true);
        assertThat(Serialization.asJson(spec.get("selector"))).contains("\"app.kubernetes.io/managed-by\":\"teachtrack-operator\"")
                .contains("\"values\":[\"api\",\"worker\"]");
        assertThat(Serialization.asJson(spec.get("podMetricsEndpoints"))).contains("\"path\":\"/q/metrics\"")
                .contains("\"sourceLabels\":[\"__meta_kubernetes_pod_label_teachtrack_io_instance\"],\"targetLabel\":\"name\"");

        values.put("watchNamespaces[0]", "edu");
        GenericKubernetesResource watched = podMonitor(OperatorChart.objects(OperatorChart.render("ops", values)));
        assertThat(Serialization.asJson(((Map<String, Object>) watched.getAdditionalProperties().get("spec")).get("namespaceSelector")))
                .isEqualTo("{\"matchNames\":[\"edu\"]}");
    }

    @Test
    void everyAlertLinksToItsRunbookAndTheBundleReadsOnlyTheSeriesItIsMeantTo() throws IOException {
        List<HasMetadata> objects = OperatorChart.objects(OperatorChart.render("ops", MonitoringBundle.ENABLED));
        String runbooks = Files.readString(OperatorFiles.root().resolve("docs/runbooks.md"));
        Map<String, String> alerts = MonitoringBundle.alerts(objects);
        assertThat(alerts.keySet()).containsExactlyInAnyOrder("TeachTrackDegraded", "TeachTrackReconcileStale", "TeachTrackPrimaryUnreachable",
                "TeachTrackFailedOver", "TeachTrackReplicaLagging", "TeachTrackReplicaExcluded", "TeachTrackApiErrors",
                "TeachTrackCacheHitRatioLow", "TeachTrackJobQueueGrowing");
        String rendered = OperatorChart.render("ops", MonitoringBundle.ENABLED);
        for (String alert : alerts.keySet()) {
            assertThat(runbooks).as("docs/runbooks.md has a section for " + alert).contains("\n## " + alert + "\n");
            assertThat(rendered).contains("runbook_url: https://git.example.com/platform/teachtrack/-/blob/main/docs/runbooks.md#"
                    + alert.toLowerCase(Locale.ROOT));
        }
        Set<String> read = new TreeSet<>();
        alerts.values().forEach(expr -> read.addAll(MonitoringBundle.metricNames(expr)));
        JsonNode dashboard = MonitoringBundle.dashboard(objects);
        assertThat(dashboard.path("uid").asText()).isEqualTo("teachtrack-platforms");
        MonitoringBundle.dashboardExpressions(dashboard).forEach(expr -> read.addAll(MonitoringBundle.metricNames(expr)));
        // What PlatformE2EIT finds exported by the operator and the API pods on the real node.
        assertThat(read).containsExactlyInAnyOrder("teachtrack_platform_phase",
                "teachtrack_platform_last_successful_reconcile_timestamp_seconds", "teachtrack_primary_reachable",
                "teachtrack_replicas_reachable", "teachtrack_failovers_total", "teachtrack_switchovers_total",
                "teachtrack_mysql_replica_lag_seconds", "teachtrack_mysql_instance_role", "teachtrack_mysql_replica_state",
                "http_server_requests_seconds_count", "http_server_requests_seconds_sum", "http_server_requests_seconds_max",
                "teachtrack_cache_requests_total", "teachtrack_db_routes_total", "teachtrack_jobs_queue_depth");
    }

    @Test
    void rbacGrantsExactlyWhatTheOperatorUsesAndNoWildcard() {
        List<HasMetadata> objects = OperatorChart.objects(OperatorChart.render("teachtrack-system", Map.of()));
        ClusterRole operatorRole = objects.stream().filter(o -> o instanceof ClusterRole
                && o.getMetadata().getName().equals("teachtrack-teachtrack-operator")).map(ClusterRole.class::cast).findFirst().orElseThrow();
        assertThat(OperatorChart.permissions(operatorRole.getRules())).isEqualTo(OPERATOR_PERMISSIONS);
        Role lease = find(objects, Role.class);
        assertThat(OperatorChart.permissions(lease.getRules())).containsExactlyInAnyOrder(
                "coordination.k8s.io/leases:get", "coordination.k8s.io/leases:create", "coordination.k8s.io/leases:update",
                "coordination.k8s.io/leases:patch");
        for (HasMetadata o : objects) {
            List<PolicyRule> rules = o instanceof ClusterRole cr ? cr.getRules() : o instanceof Role r ? r.getRules() : List.of();
            for (PolicyRule rule : rules) {
                assertThat(rule.getVerbs()).doesNotContain("*");
                assertThat(rule.getResources()).doesNotContain("*");
                assertThat(rule.getApiGroups()).doesNotContain("*");
            }
        }
    }

    static Set<String> permissions(String... grants) {
        Set<String> permissions = new TreeSet<>();
        for (String grant : grants) {
            String[] parts = grant.split(":");
            for (String verb : parts[1].split(",")) {
                permissions.add(parts[0] + ":" + verb);
            }
        }
        return permissions;
    }

    private static GenericKubernetesResource podMonitor(List<HasMetadata> objects) {
        return objects.stream().filter(o -> o.getKind().equals("PodMonitor")).map(GenericKubernetesResource.class::cast).findFirst()
                .orElseThrow();
    }

    private static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    private static Map<String, String> env(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, e -> e.getValue() == null ? "" : e.getValue()));
    }
}
