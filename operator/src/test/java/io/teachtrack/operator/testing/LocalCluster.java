package io.teachtrack.operator.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.teachtrack.testkit.Processes;

import java.nio.file.Path;
import java.util.List;

/**
 * The local cluster the API-server, cluster and end-to-end tiers run against ({@code operator/scripts/cluster.sh}):
 * etcd, kube-apiserver, kube-controller-manager and kube-scheduler, and one real node (containerd, kubelet,
 * kube-proxy, CoreDNS, metrics-server) on a private bridge, running the images of {@code make images}.
 */
public final class LocalCluster {

    private static final ClusterAccess CLUSTER =
            new ClusterAccess("cluster.sh", "cluster/" + ClusterAccess.clusterName() + "/logs/audit.log");

    private LocalCluster() {
    }

    public static Path kubeconfig() {
        return CLUSTER.kubeconfig();
    }

    public static Path binDir() {
        return CLUSTER.binDir();
    }

    public static KubernetesClient client() {
        return CLUSTER.client();
    }

    /** The kube-apiserver's audit log (see cluster.sh for its policy). */
    public static AuditLog auditLog() {
        return CLUSTER.auditLog();
    }

    /** Installs (server-side apply) the committed CRD and waits until it is Established. */
    public static CustomResourceDefinition installCrd() {
        return CLUSTER.installCrd();
    }

    /** Applies a CRD (server-side) and waits until it is Established. */
    public static CustomResourceDefinition applyCrd(CustomResourceDefinition crd, String fieldManager) {
        return CLUSTER.applyCrd(crd, fieldManager);
    }

    /** Creates a fresh namespace for one test class. */
    public static String createNamespace(String prefix) {
        return CLUSTER.createNamespace(prefix);
    }

    /** Creates the namespace unless it exists (the demo's, kept between runs). */
    public static String ensureNamespace(String name) {
        return CLUSTER.ensureNamespace(name);
    }

    public static void deleteNamespace(String name) {
        CLUSTER.deleteNamespace(name);
    }

    /** Runs the cluster's own kubectl; fails with its output on a non-zero exit. */
    public static String kubectl(String... args) {
        return CLUSTER.kubectl(args);
    }

    public static Processes.Result kubectlResult(String... args) {
        return CLUSTER.kubectlResult(args);
    }

    /** {@code kubectl teachtrack ...}: the plugin from kubectl-plugin/, found on the PATH as users install it. */
    public static Processes.Result plugin(String... args) {
        return CLUSTER.plugin(args);
    }

    /** Packets from the cluster's addresses that the guard stopped on their way out of the machine. */
    public static long packetsStoppedLeaving() {
        return Long.parseLong(CLUSTER.script("guard").strip());
    }

    /** Stops the cluster ({@code cluster.sh down}); the next use starts it again. */
    public static void down() {
        CLUSTER.script("down");
        CLUSTER.forget();
    }

    /** What {@code cluster.sh down} should have removed and is still there, one line each. */
    public static List<String> leftovers() {
        return CLUSTER.script("leftovers").lines().filter(line -> !line.isBlank()).toList();
    }
}
