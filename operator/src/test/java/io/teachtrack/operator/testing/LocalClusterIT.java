package io.teachtrack.operator.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cluster tier: the local cluster runs kube-controller-manager, kube-scheduler and kwok's fake nodes, so
 * workload controllers create pods, the scheduler places them and kwok marks them Running and Ready.
 */
class LocalClusterIT {

    private static KubernetesClient client;
    private static String namespace;

    @BeforeAll
    static void start() {
        client = LocalCluster.client();
        namespace = LocalCluster.createNamespace("cluster-it");
    }

    @AfterAll
    static void cleanUp() {
        LocalCluster.deleteNamespace(namespace);
    }

    @Test
    void hasAtLeastThreeReadyFakeNodes() {
        assertThat(client.nodes().list().getItems())
                .filteredOn(n -> n.getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
                .hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void deploymentPodsBecomeRunningAndReady() {
        Map<String, String> labels = Map.of("app", "web");
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata().withName("web").withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(3)
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27").endContainer().endSpec()
                .endTemplate().endSpec().build();
        client.resource(deployment).create();

        client.apps().deployments().inNamespace(namespace).withName("web").waitUntilCondition(
                d -> d.getStatus() != null && Integer.valueOf(3).equals(d.getStatus().getReadyReplicas()), 2, TimeUnit.MINUTES);
        assertPodsRunningAndReady(labels, 3);
    }

    @Test
    void statefulSetPodsBecomeRunningAndReadyInOrder() {
        Map<String, String> labels = Map.of("app", "db");
        client.resource(new ServiceBuilder().withNewMetadata().withName("db").withNamespace(namespace).endMetadata()
                .withNewSpec().withClusterIP("None").withSelector(labels).addNewPort().withPort(3306).endPort().endSpec()
                .build()).create();
        StatefulSet statefulSet = new StatefulSetBuilder()
                .withNewMetadata().withName("db").withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(3).withServiceName("db")
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("db").withImage("mariadb:11.4").endContainer().endSpec()
                .endTemplate().endSpec().build();
        client.resource(statefulSet).create();

        client.apps().statefulSets().inNamespace(namespace).withName("db").waitUntilCondition(
                s -> s.getStatus() != null && Integer.valueOf(3).equals(s.getStatus().getReadyReplicas()), 2, TimeUnit.MINUTES);
        List<Pod> pods = assertPodsRunningAndReady(labels, 3);
        assertThat(pods).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("db-0", "db-1", "db-2");
    }

    private List<Pod> assertPodsRunningAndReady(Map<String, String> labels, int count) {
        List<Pod> pods = client.pods().inNamespace(namespace).withLabels(labels).list().getItems();
        assertThat(pods).hasSize(count).allSatisfy(pod -> {
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            assertThat(pod.getSpec().getNodeName()).as("scheduled").isNotBlank();
            assertThat(pod.getStatus().getPodIP()).as("pod IPs come from loopback").startsWith("127.");
            assertThat(pod.getStatus().getConditions())
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        });
        return pods;
    }
}
