package io.teachtrack.operator.testing;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;

import java.util.Map;

/**
 * The operator as users install it: the Helm chart installed by real Helm (helm-java) into the local cluster, its
 * image running in a pod with the chart's defaults (MySQL address mode {@code dns}), watching one namespace.
 */
public final class OperatorRelease implements AutoCloseable {

    private static final int INSTALL_TIMEOUT_SECONDS = 300;

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
                .withKubeConfig(LocalCluster.kubeconfig()).skipCrds().waitReady().withTimeout(INSTALL_TIMEOUT_SECONDS)
                .set("watchNamespaces[0]", namespace)
                // The node holds the image `make images` built; nothing is ever pulled.
                .set("image.pullPolicy", "Never");
        values.forEach(install::set);
        install.call();
        return new OperatorRelease(namespace, namespace);
    }

    /** The operator pods' label selector. */
    public Map<String, String> podLabels() {
        return Map.of("app.kubernetes.io/name", "teachtrack-operator", "app.kubernetes.io/instance", name);
    }

    /** The operator's ServiceAccount as the API server names it in audit logs. */
    public String user() {
        return "system:serviceaccount:" + namespace + ":" + name + "-teachtrack-operator";
    }

    @Override
    public void close() {
        Helm.uninstall(name).withNamespace(namespace).withKubeConfig(LocalCluster.kubeconfig()).call();
    }
}
