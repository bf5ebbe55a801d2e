package io.teachtrack.operator.testing;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.teachtrack.operator.testing.ClusterWaits.await;

/**
 * The operator as users install it: the Helm chart installed by real Helm (helm-java) into the local cluster, its
 * image running in a pod with the chart's defaults (MySQL address mode {@code dns}), watching one namespace.
 */
public final class OperatorRelease implements AutoCloseable {

    private static final int INSTALL_TIMEOUT_SECONDS = 300;
    private static final Duration RESTART = Duration.ofMinutes(3);

    private final String name;
    private final String namespace;

    private OperatorRelease(String name, String namespace) {
        this.name = name;
        this.namespace = namespace;
    }

    /** Installs a release named after the namespace (so cluster-scoped names never clash) and waits until it is ready. */
    public static OperatorRelease install(String namespace, Map<String, Object> values) {
        ClusterImages.current();
        LocalCluster.installCrd();
        InstallCommand install = OperatorChart.helm().install().withName(namespace).withNamespace(namespace)
                .withKubeConfig(LocalCluster.kubeconfig()).waitReady().withTimeout(INSTALL_TIMEOUT_SECONDS)
                // Releases of several tests share the cluster's CRD, which the tests install.
                .set("crds.create", false)
                .set("watchNamespaces[0]", namespace)
                // The node holds the image `make images` built; nothing is ever pulled.
                .set("image.pullPolicy", "Never");
        values.forEach(install::set);
        install.call();
        return new OperatorRelease(namespace, namespace);
    }

    /** The address of the running operator pod: where its connections to the databases come from. */
    public String podIp() {
        return runningPod().getStatus().getPodIP();
    }

    /** The operator's ServiceAccount as the API server names it in audit logs. */
    public String user() {
        return "system:serviceaccount:" + namespace + ":" + deployment();
    }

    /**
     * What the chart's roles grant the operator, as {@code group/resource[/subresource]:verb}: its ClusterRole (bound
     * in the watched namespaces) and its leader-election Role.
     */
    public Set<String> grantedPermissions() {
        KubernetesClient client = LocalCluster.client();
        List<PolicyRule> rules = new ArrayList<>(client.rbac().clusterRoles().withName(deployment()).get().getRules());
        rules.addAll(client.rbac().roles().inNamespace(namespace).withName(deployment() + "-leader-election").get().getRules());
        return OperatorChart.permissions(rules);
    }

    /** Sum of a Prometheus counter of the running operator pod over all its label sets (0 when not registered yet). */
    public double counter(String metric) {
        return PrometheusText.sum(MonitoringBundle.scrape(runningPod().getStatus().getPodIP()), metric, "");
    }

    /** What the running operator pod has logged. */
    public String log() {
        return LocalCluster.kubectl("-n", namespace, "logs", runningPod().getMetadata().getName());
    }

    /** Scales the operator to no pod and waits until its last pod is gone, as an outage of the operator would. */
    public void stop() {
        LocalCluster.kubectl("-n", namespace, "scale", "deployment/" + deployment(), "--replicas=0");
        await().atMost(RESTART).until(() -> pods().isEmpty());
    }

    /** Brings one operator pod back and waits until it is ready. */
    public void start() {
        LocalCluster.kubectl("-n", namespace, "scale", "deployment/" + deployment(), "--replicas=1");
        await().atMost(RESTART).ignoreExceptions().until(() -> runningPod() != null);
    }

    @Override
    public void close() {
        Helm.uninstall(name).withNamespace(namespace).withKubeConfig(LocalCluster.kubeconfig()).call();
    }

    private String deployment() {
        return name + "-teachtrack-operator";
    }

    private List<Pod> pods() {
        KubernetesClient client = LocalCluster.client();
        return client.pods().inNamespace(namespace)
                .withLabels(Map.of("app.kubernetes.io/name", "teachtrack-operator", "app.kubernetes.io/instance", name))
                .list().getItems();
    }

    private Pod runningPod() {
        return pods().stream().filter(PodReadiness::isReady).findFirst().orElseThrow(() -> new IllegalStateException("no ready operator pod in " + namespace));
    }
}
