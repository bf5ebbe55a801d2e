package io.teachtrack.operator.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.teachtrack.operator.testing.pods.PodSupervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole platform on the local cluster, shared by {@code make demo} and the end-to-end tests: the CRD, the
 * operator's ServiceAccount and RBAC from the Helm chart, the operator as a local process configured with the
 * chart's environment (MySQL address mode {@code pod-ip}, so its JDBC connections reach the pods' servers), a
 * volume provisioner, and the pod supervisor running a real process for every pod.
 */
public final class LocalPlatform implements AutoCloseable {

    /** Chart values for a local run: the operator reaches MySQL at the pod IPs, not through cluster DNS. */
    private static final Map<String, Object> CHART_VALUES = Map.of("mysql.addressMode", "pod-ip", "mysql.pollInterval", "2s");

    private final LocalVolumeProvisioner volumes;
    private final PodSupervisor pods;
    private final ChartServiceAccount identity;
    private final OperatorProcess operator;

    private LocalPlatform(LocalVolumeProvisioner volumes, PodSupervisor pods,
                          ChartServiceAccount identity, OperatorProcess operator) {
        this.volumes = volumes;
        this.pods = pods;
        this.identity = identity;
        this.operator = operator;
    }

    /** Starts everything for one namespace (created when missing); the operator is ready when this returns. */
    public static LocalPlatform start(String namespace, Path dataRoot, Duration operatorTokenLifetime) {
        KubernetesClient client = LocalCluster.client();
        LocalCluster.installCrd();
        LocalCluster.ensureNamespace(namespace);
        LocalVolumeProvisioner volumes = LocalVolumeProvisioner.start(client);
        PodSupervisor pods = PodSupervisor.wholePlatform(client, namespace, dataRoot);
        ChartServiceAccount identity = ChartServiceAccount.install(client, namespace, CHART_VALUES, operatorTokenLifetime);
        Map<String, String> env = new HashMap<>(identity.operatorEnvironment());
        env.put("KUBECONFIG", identity.kubeconfig().toString());
        OperatorProcess operator = new OperatorProcess(namespace, env).start();
        return new LocalPlatform(volumes, pods, identity, operator);
    }

    public PodSupervisor pods() {
        return pods;
    }

    public OperatorProcess operator() {
        return operator;
    }

    @Override
    public void close() {
        operator.close();
        pods.close();
        volumes.close();
        identity.close();
    }
}
