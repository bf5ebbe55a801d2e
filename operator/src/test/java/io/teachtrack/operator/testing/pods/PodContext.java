package io.teachtrack.operator.testing.pods;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.teachtrack.operator.model.SecretData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a runtime needs from the cluster to start a pod's process: the pod's environment as the kubelet would
 * resolve it (values, Secret and ConfigMap keys), and in-cluster Service names turned into the addresses of
 * the pods they select, since no cluster DNS or kube-proxy exists here.
 */
public final class PodContext {

    private final KubernetesClient client;
    private final String namespace;
    private final Path dataRoot;
    private final Pattern serviceHost;

    PodContext(KubernetesClient client, String namespace, Path dataRoot) {
        this.client = client;
        this.namespace = namespace;
        this.dataRoot = dataRoot;
        // <service>.<namespace>.svc[.cluster.local][:port]
        this.serviceHost = Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?)\\." + Pattern.quote(namespace)
                + "\\.svc(\\.cluster\\.local)?(:(\\d+))?");
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
            env.put(var.getName(), resolveServices(value));
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

    /**
     * Replaces each {@code <service>.<ns>.svc:port} by the addresses of the pods the Service selects, in pod-name
     * order. A MySQL JDBC URL over several pods becomes a load-balanced one, as a Service spreads connections.
     * A Service without pods keeps its name (and its clients fail to connect, as to a Service without endpoints).
     */
    String resolveServices(String value) {
        Matcher matcher = serviceHost.matcher(value);
        StringBuilder out = new StringBuilder();
        int endpoints = 0;
        while (matcher.find()) {
            List<String> ips = selectedPodIps(matcher.group(1));
            endpoints = Math.max(endpoints, ips.size());
            String port = matcher.group(5);
            String replacement = ips.isEmpty() ? matcher.group()
                    : String.join(",", ips.stream().map(ip -> port == null ? ip : ip + ":" + port).toList());
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        String resolved = out.toString();
        return endpoints > 1 && resolved.startsWith("jdbc:mysql://")
                ? "jdbc:mysql:loadbalance://" + resolved.substring("jdbc:mysql://".length())
                : resolved;
    }

    private List<String> selectedPodIps(String serviceName) {
        Service service = client.services().inNamespace(namespace).withName(serviceName).get();
        if (service == null || service.getSpec().getSelector() == null) {
            return List.of();
        }
        return client.pods().inNamespace(namespace).withLabels(service.getSpec().getSelector()).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .map(p -> p.getStatus().getPodIP())
                .toList();
    }
}
