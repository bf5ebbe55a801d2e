package io.teachtrack.operator.helm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.teachtrack.operator.testing.LocalCluster;
import io.teachtrack.operator.testing.OperatorChart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every object the chart renders, with default and with custom values, is accepted by the real API server. */
class HelmChartIT {

    /** Just enough of prometheus-operator's CRD for a ServiceMonitor to be admitted. */
    private static final String SERVICE_MONITOR_CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: servicemonitors.monitoring.coreos.com}
            spec:
              group: monitoring.coreos.com
              scope: Namespaced
              names: {kind: ServiceMonitor, plural: servicemonitors, singular: servicemonitor, listKind: ServiceMonitorList}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """;

    private static KubernetesClient client;
    private static String release;
    private static List<String> watched;

    @BeforeAll
    static void namespaces() {
        client = LocalCluster.client();
        release = LocalCluster.createNamespace("chart-it");
        watched = List.of(LocalCluster.createNamespace("chart-edu"), LocalCluster.createNamespace("chart-lab"));
        CustomResourceDefinition crd = Serialization.unmarshal(SERVICE_MONITOR_CRD, CustomResourceDefinition.class);
        LocalCluster.applyCrd(crd, "teachtrack-tests");
    }

    @AfterAll
    static void cleanUp() {
        LocalCluster.deleteNamespace(release);
        watched.forEach(LocalCluster::deleteNamespace);
    }

    @Test
    void defaultValuesAreAcceptedByTheApiServer() {
        assertAccepted(OperatorChart.objects(OperatorChart.render(release, Map.of())));
    }

    @Test
    void customValuesAreAcceptedByTheApiServer() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("replicaCount", 3);
        values.put("watchNamespaces[0]", watched.get(0));
        values.put("watchNamespaces[1]", watched.get(1));
        values.put("metrics.serviceMonitor.enabled", true);
        values.put("metrics.serviceMonitor.labels.release", "prometheus");
        values.put("image.repository", "registry.example.com/platform/teachtrack-operator");
        values.put("image.tag", "1.2.3");
        values.put("defaultImages.api", "registry.example.com/platform/teachtrack-api:1.2.3");
        values.put("podLabels.team", "platform");
        values.put("podAnnotations.example\\.com/owner", "platform-team");
        values.put("extraEnv[0].name", "QUARKUS_LOG_LEVEL");
        values.put("extraEnv[0].value", "DEBUG");
        values.put("priorityClassName", "system-cluster-critical");
        List<HasMetadata> objects = OperatorChart.objects(OperatorChart.render(release, values));
        assertThat(objects).anyMatch(o -> o.getKind().equals("ServiceMonitor"));
        assertThat(objects).anyMatch(o -> o.getKind().equals("PodDisruptionBudget"));
        assertAccepted(objects);
    }

    private static void assertAccepted(List<HasMetadata> objects) {
        assertThat(objects).isNotEmpty();
        for (HasMetadata object : objects) {
            // Forced: the cluster's CRD was applied by the tests' own field manager, and its versions list is atomic, so
            // a second manager's apply conflicts even with the same content (the stored copy carries server defaults).
            // Whether the API server accepts the object is the question here, not who owns its fields.
            HasMetadata accepted = client.resource(object).dryRun().forceConflicts().serverSideApply();
            assertThat(accepted.getMetadata().getName()).as(object.getKind()).isEqualTo(object.getMetadata().getName());
        }
        assertThat(client.apps().deployments().inNamespace(release).list().getItems()).as("a dry run creates nothing").isEmpty();
    }
}
