package io.teachtrack.operator.testing;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The operator's identity exactly as the Helm chart grants it: the chart's ServiceAccount and RBAC objects for
 * one watched namespace, applied to the local cluster (RBAC enforced), and a kubeconfig holding a token for
 * that ServiceAccount. An operator run with it can do what the chart allows and nothing more.
 */
public final class ChartServiceAccount implements AutoCloseable {

    private static final Duration TOKEN_LIFETIME = Duration.ofHours(2);

    private final KubernetesClient client;
    private final List<HasMetadata> rbac;
    private final Path kubeconfig;
    private final Map<String, String> operatorEnvironment;

    private ChartServiceAccount(KubernetesClient client, List<HasMetadata> rbac, Path kubeconfig, Map<String, String> operatorEnvironment) {
        this.client = client;
        this.rbac = rbac;
        this.kubeconfig = kubeconfig;
        this.operatorEnvironment = operatorEnvironment;
    }

    public static ChartServiceAccount install(KubernetesClient client, String namespace) {
        return install(client, namespace, Map.of(), TOKEN_LIFETIME);
    }

    /** With more chart values (for example {@code mysql.addressMode}) and a token valid for the given time. */
    public static ChartServiceAccount install(KubernetesClient client, String namespace, Map<String, Object> values, Duration tokenLifetime) {
        String release = "op-" + namespace.substring(namespace.lastIndexOf('-') + 1);
        Map<String, Object> all = new HashMap<>(values);
        all.put("watchNamespaces[0]", namespace);
        List<HasMetadata> rendered = OperatorChart.objects(OperatorChart.render(release, namespace, all));
        List<HasMetadata> rbac = rendered.stream()
                .filter(o -> List.of("ServiceAccount", "ClusterRole", "Role", "RoleBinding", "ClusterRoleBinding").contains(o.getKind()))
                .toList();
        Map<String, String> operatorEnvironment = rendered.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .findFirst().orElseThrow().getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .filter(env -> env.getValue() != null) // the pod's own fields (valueFrom) do not apply to a local process
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        rbac.forEach(o -> client.resource(o).fieldManager("teachtrack-tests").forceConflicts().serverSideApply());
        ServiceAccount account = rbac.stream().filter(ServiceAccount.class::isInstance).map(ServiceAccount.class::cast)
                .findFirst().orElseThrow();
        String token = client.serviceAccounts().inNamespace(namespace).withName(account.getMetadata().getName())
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(tokenLifetime.toSeconds()).endSpec().build())
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
            Path file = OperatorFiles.root().resolve("operator/target/kubeconfig-" + namespace);
            Files.writeString(file, yaml);
            return new ChartServiceAccount(client, rbac, file, operatorEnvironment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The environment the chart's Deployment gives the operator container. */
    public Map<String, String> operatorEnvironment() {
        return operatorEnvironment;
    }

    @Override
    public void close() {
        rbac.stream().filter(o -> o.getMetadata().getNamespace() == null).forEach(o -> client.resource(o).delete());
    }
}
