package io.teachtrack.operator.testing.pods;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.teachtrack.operator.model.SecretData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a runtime needs from the cluster to start a pod's process: the pod's environment as the kubelet would
 * resolve it (values, Secret and ConfigMap keys), its Secrets and ConfigMaps, and a directory that outlives it.
 */
public final class PodContext {

    private final KubernetesClient client;
    private final String namespace;
    private final Path dataRoot;

    PodContext(KubernetesClient client, String namespace, Path dataRoot) {
        this.client = client;
        this.namespace = namespace;
        this.dataRoot = dataRoot;
    }

    /** The pod's own directory for data and logs; it outlives the pod, as a PersistentVolume would. */
    public Path directory(Pod pod) {
        try {
            return Files.createDirectories(dataRoot.resolve(pod.getMetadata().getName()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Container container(Pod pod) {
        return pod.getSpec().getContainers().getFirst();
    }

    /** The container's environment, or empty while a Secret or ConfigMap it refers to is missing. */
    public Optional<Map<String, String>> environment(Pod pod) {
        Map<String, String> env = new LinkedHashMap<>();
        // Several variables come from one Secret: read each Secret once.
        Map<String, Secret> secrets = new HashMap<>();
        List<EnvVar> vars = Optional.ofNullable(container(pod).getEnv()).orElse(List.of());
        for (EnvVar var : vars) {
            String value = var.getValue();
            if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                SecretKeySelector ref = var.getValueFrom().getSecretKeyRef();
                value = SecretData.value(secrets.computeIfAbsent(ref.getName(),
                        name -> client.secrets().inNamespace(namespace).withName(name).get()), ref.getKey());
            } else if (var.getValueFrom() != null && var.getValueFrom().getConfigMapKeyRef() != null) {
                value = configMap(var.getValueFrom().getConfigMapKeyRef().getName())
                        .map(cm -> cm.getData().get(var.getValueFrom().getConfigMapKeyRef().getKey())).orElse(null);
            }
            if (value == null) {
                return Optional.empty();
            }
            env.put(var.getName(), value);
        }
        env.put("HOSTNAME", pod.getMetadata().getName());
        return Optional.of(env);
    }

    /** A key of a Secret in the pod's namespace, as a Secret volume would hold it. */
    public Optional<String> secretValue(String secret, String key) {
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(secret).get())
                .map(s -> SecretData.value(s, key));
    }

    public Optional<ConfigMap> configMap(String name) {
        return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get());
    }
}
