package io.teachtrack.operator.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.teachtrack.testkit.Processes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.teachtrack.operator.testing.ClusterWaits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Cluster tier: the local cluster has one real node. Pods are containers started by containerd from the images of
 * {@code make images}, with their security contexts enforced; Services and cluster DNS work from pods and from this
 * machine; claims get real volumes that outlive their pods; metrics-server reports usage; no name outside the
 * cluster resolves.
 */
@ResourceLock(ClusterWaits.NODE)
class LocalClusterIT {

    private static final String REDIS_IMAGE = "localhost/teachtrack/redis:8.0";
    private static final Duration START = Duration.ofMinutes(3);
    private static final Map<String, String> CACHE = Map.of("app", "cache");
    private static final Map<String, String> STORE = Map.of("app", "store");

    private static KubernetesClient client;
    private static String namespace;

    @BeforeAll
    static void start() {
        // A pod or a metric that is not there yet reads as an error: keep polling.
        client = LocalCluster.client();
        namespace = LocalCluster.createNamespace("cluster-it");
        client.resource(new DeploymentBuilder()
                .withNewMetadata().withName("cache").withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(1)
                .withNewSelector().withMatchLabels(CACHE).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(CACHE).endMetadata()
                .withSpec(redisPod("redis-server", "--port", "6379", "--save", "", "--appendonly", "no", "--protected-mode", "no"))
                .endTemplate().endSpec().build()).create();
        client.resource(new ServiceBuilder().withNewMetadata().withName("cache").withNamespace(namespace).endMetadata()
                .withNewSpec().withSelector(CACHE).addNewPort().withPort(6379).endPort().endSpec().build()).create();
        client.resource(new ServiceBuilder().withNewMetadata().withName("store").withNamespace(namespace).endMetadata()
                .withNewSpec().withClusterIP("None").withSelector(STORE).addNewPort().withPort(6379).endPort().endSpec().build()).create();
        PodSpec store = redisPod("redis-server", "--dir", "/data", "--save", "", "--protected-mode", "no");
        store.getContainers().getFirst().getVolumeMounts().add(new VolumeMountBuilder()
                .withName("data").withMountPath("/data").build());
        client.resource(new StatefulSetBuilder()
                .withNewMetadata().withName("store").withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(1).withServiceName("store")
                .withNewSelector().withMatchLabels(STORE).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(STORE).endMetadata().withSpec(store).endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().withRequests(Map.of("storage", new Quantity("1Gi"))).endResources().endSpec()
                .endVolumeClaimTemplate()
                .endSpec().build()).create();
    }

    @AfterAll
    static void cleanUp() {
        if (namespace != null) {
            LocalCluster.deleteNamespace(namespace);
        }
    }

    @Test
    void oneRealNodeIsReady() {
        List<Node> nodes = client.nodes().list().getItems();
        assertThat(nodes).singleElement().satisfies(node -> {
            assertThat(node.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
            assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.34.4");
            assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("containerd://");
            assertThat(node.getStatus().getAddresses()).extracting(NodeAddress::getType, NodeAddress::getAddress)
                    .contains(tuple("InternalIP", "10.213.0.1"));
        });
    }

    @Test
    void podsRunAsTheirNonRootUserOnAReadOnlyRootFileSystem() {
        Pod pod = awaitReady(CACHE);
        assertThat(pod.getStatus().getPodIP()).startsWith("10.213.0.");
        assertThat(exec(pod, "id", "-u").strip()).isEqualTo("999");
        Processes.Result write = LocalCluster.kubectlResult("-n", namespace, "exec", pod.getMetadata().getName(), "--",
                "sh", "-c", "echo x > /probe");
        assertThat(write.exitCode()).isNotZero();
        assertThat(write.stderr()).contains("Read-only file system");
        assertThat(LocalCluster.kubectl("-n", namespace, "logs", pod.getMetadata().getName())).contains("Ready to accept connections");
    }

    @Test
    void aContainerAskingForRootIsRefused() {
        PodSpec spec = redisPod("redis-server");
        spec.getContainers().getFirst().getSecurityContext().setRunAsUser(0L);
        client.resource(new PodBuilder().withNewMetadata().withName("wants-root").withNamespace(namespace).endMetadata()
                .withSpec(spec).build()).create();
        await().atMost(START).untilAsserted(() -> {
            Pod pod = client.pods().inNamespace(namespace).withName("wants-root").get();
            assertThat(pod.getStatus().getContainerStatuses()).singleElement().satisfies(status -> {
                assertThat(status.getState().getWaiting()).isNotNull();
                assertThat(status.getState().getWaiting().getMessage()).contains("non-root");
            });
        });
    }

    @Test
    void servicesAndClusterDnsWorkFromPodsAndFromThisMachine() throws IOException {
        Pod pod = awaitReady(CACHE);
        await().atMost(START).untilAsserted(() -> assertThat(
                exec(pod, "redis-cli", "-h", "cache." + namespace + ".svc.cluster.local", "PING").strip()).isEqualTo("PONG"));
        String clusterIp = client.services().inNamespace(namespace).withName("cache").get().getSpec().getClusterIP();
        assertThat(clusterIp).startsWith("10.213.1.");
        await().atMost(START).untilAsserted(() -> assertThat(ping(clusterIp)).isEqualTo("+PONG"));
        Processes.Result outside = LocalCluster.kubectlResult("-n", namespace, "exec", pod.getMetadata().getName(), "--",
                "getent", "hosts", "deb.debian.org");
        assertThat(outside.exitCode()).as("a name outside the cluster does not resolve: %s", outside.stdout()).isNotZero();
    }

    @Test
    void aClaimGetsAVolumeThatOutlivesItsPod() {
        Pod first = awaitReady(STORE);
        exec(first, "sh", "-c", "echo kept > /data/marker");
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(namespace).withName("data-store-0").get();
        assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
        PersistentVolume volume = client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
        assertThat(volume.getSpec().getLocal().getPath()).startsWith(ClusterAccess.cacheRoot().toString());

        client.pods().inNamespace(namespace).withName("store-0").delete();
        await().atMost(START).until(() -> {
            Pod next = client.pods().inNamespace(namespace).withName("store-0").get();
            return next != null && !next.getMetadata().getUid().equals(first.getMetadata().getUid()) && PodReadiness.isReady(next);
        });
        assertThat(exec(client.pods().inNamespace(namespace).withName("store-0").get(), "cat", "/data/marker").strip()).isEqualTo("kept");
    }

    @Test
    void metricsServerReportsPodUsage() {
        Pod pod = awaitReady(CACHE);
        await().atMost(START).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(
                LocalCluster.kubectl("-n", namespace, "top", "pod", pod.getMetadata().getName(), "--no-headers"))
                .startsWith(pod.getMetadata().getName()));
    }

    /** A Redis container as every platform pod runs: its image's numeric user, read-only root, no capabilities. */
    private static PodSpec redisPod(String... command) {
        return new PodSpecBuilder()
                .withNewSecurityContext().withRunAsNonRoot(true).withFsGroup(999L)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .addNewContainer().withName("redis").withImage(REDIS_IMAGE).withImagePullPolicy("Never").withCommand(command)
                .withNewSecurityContext().withReadOnlyRootFilesystem(true).withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .withNewResources().withRequests(Map.of("cpu", new Quantity("20m"), "memory", new Quantity("32Mi")))
                .withLimits(Map.of("memory", new Quantity("128Mi"))).endResources()
                .withNewReadinessProbe().withNewExec().withCommand("redis-cli", "PING").endExec().withPeriodSeconds(1).endReadinessProbe()
                .endContainer().build();
    }

    private static Pod awaitReady(Map<String, String> labels) {
        return await().atMost(START).until(() -> client.pods().inNamespace(namespace).withLabels(labels).list().getItems().stream()
                .filter(PodReadiness::isReady).findFirst().orElse(null), pod -> pod != null);
    }

    private static String exec(Pod pod, String... command) {
        List<String> args = new ArrayList<>(List.of("-n", namespace, "exec", pod.getMetadata().getName(), "--"));
        args.addAll(List.of(command));
        return LocalCluster.kubectl(args.toArray(String[]::new));
    }

    private static String ping(String host) throws IOException {
        try (Socket socket = new Socket(host, 6379)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }
}
