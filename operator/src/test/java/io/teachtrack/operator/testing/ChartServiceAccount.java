package io.teachtrack.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The operator's identity exactly as the Helm chart grants it: the chart's ServiceAccount and RBAC objects for
 * one watched namespace, applied to the local cluster (RBAC enforced), and a kubeconfig holding a token for
 * that ServiceAccount. An operator run with it can do what the chart allows and nothing more.
 */
public final class ChartServiceAccount implements AutoCloseable {

    private final KubernetesClient client;
    private final List<HasMetadata> rbac;
    private final Path kubeconfig;

    private ChartServiceAccount(KubernetesClient client, List<HasMetadata> rbac, Path kubeconfig) {
        this.client = client;
        this.rbac = rbac;
        this.kubeconfig = kubeconfig;
    }

    public static ChartServiceAccount install(KubernetesClient client, String namespace) {
        String release = "op-" + namespace.substring(namespace.lastIndexOf('-') + 1);
        List<HasMetadata> rbac = OperatorChart.objects(OperatorChart.render(release, namespace,
                        Map.of("watchNamespaces[0]", namespace))).stream()
                .filter(o -> List.of("ServiceAccount", "ClusterRole", "Role", "RoleBinding", "ClusterRoleBinding").contains(o.getKind()))
                .toList();
        rbac.forEach(o -> client.resource(o).fieldManager("teachtrack-tests").forceConflicts().serverSideApply());
        ServiceAccount account = rbac.stream().filter(ServiceAccount.class::isInstance).map(ServiceAccount.class::cast)
                .findFirst().orElseThrow();
        String token = client.serviceAccounts().inNamespace(namespace).withName(account.getMetadata().getName())
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(7200L).endSpec().build())
                .getStatus().getToken();
        var config = client.getConfiguration();
        String ca = config.getCaCertData() != null ? "certificate-authority-data: " + config.getCaCertData()
                : "certificate-authority: " + config.getCaCertFile();
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: local
                  cluster:
                    server: %s
                    %s
                users:
                - name: operator
                  user:
                    token: %s
                contexts:
                - name: operator
                  context: {cluster: local, user: operator, namespace: %s}
                current-context: operator
                """.formatted(config.getMasterUrl(), ca, token, namespace);
        try {
            Path file = RepoPaths.root().resolve("operator/target/kubeconfig-" + namespace);
            Files.writeString(file, yaml);
            return new ChartServiceAccount(client, rbac, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public void close() {
        rbac.stream().filter(o -> o.getMetadata().getNamespace() == null).forEach(o -> client.resource(o).delete());
    }
}
