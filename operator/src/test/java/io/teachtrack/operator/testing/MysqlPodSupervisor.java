package io.teachtrack.operator.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.MysqlRole;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Test tooling, not product code: kwok marks MySQL pods Running without running anything, so this starts a
 * real MariaDB server for each one, bound to the pod's IP (kwok hands out 127.20.x.y) on port 3306, with the
 * root password from the TeachTrack's Secret and the my.cnf of the pod's role. A deleted pod stops its server;
 * the data directory stays, as a PVC would.
 */
public final class MysqlPodSupervisor implements AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final Path dataRoot;
    private final Map<String, MariaDbServer> servers = new ConcurrentHashMap<>();
    /** A few starters, each pod always on the same one, so one pod's events stay in order while pods start in parallel. */
    private final List<ExecutorService> starters = java.util.stream.IntStream.range(0, 4)
            .mapToObj(i -> Executors.newSingleThreadExecutor()).toList();
    private final SharedIndexInformer<Pod> informer;

    private MysqlPodSupervisor(KubernetesClient client, String namespace, Path dataRoot) {
        this.client = client;
        this.namespace = namespace;
        this.dataRoot = dataRoot;
        this.informer = client.pods().inNamespace(namespace).withLabel(Labels.COMPONENT, "mysql").inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                starterOf(pod).submit(() -> reconcile(pod));
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                starterOf(pod).submit(() -> reconcile(pod));
            }

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {
                starterOf(pod).submit(() -> stop(pod.getMetadata().getName()));
            }
        });
    }

    private ExecutorService starterOf(Pod pod) {
        return starters.get(Math.floorMod(pod.getMetadata().getName().hashCode(), starters.size()));
    }

    public static MysqlPodSupervisor start(KubernetesClient client, String namespace, Path dataRoot) {
        return new MysqlPodSupervisor(client, namespace, dataRoot);
    }

    public MariaDbServer server(String pod) {
        return servers.get(pod);
    }

    private void reconcile(Pod pod) {
        String name = pod.getMetadata().getName();
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        boolean running = pod.getMetadata().getDeletionTimestamp() == null && ip != null
                && "Running".equals(pod.getStatus().getPhase());
        MariaDbServer current = servers.get(name);
        if (!running) {
            stop(name);
            return;
        }
        if (current != null && current.host().equals(ip) && current.isAlive()) {
            return;
        }
        stop(name);
        String password = rootPassword(pod.getMetadata().getLabels().get(Labels.INSTANCE));
        if (password == null) {
            return; // the Secret comes first in the workflow; the next pod update retries
        }
        MysqlRole role = "primary".equals(pod.getMetadata().getLabels().get(Labels.ROLE)) ? MysqlRole.PRIMARY : MysqlRole.REPLICA;
        int ordinal = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        try {
            servers.put(name, new MariaDbServer(dataRoot, name, role, ordinal, password, ip, 3306).start());
        } catch (RuntimeException e) {
            // Runs on an executor: without this the failure would vanish and tests would only see a timeout.
            System.err.println("[mysql-pod-supervisor] cannot start the database of pod " + name + ": " + e.getMessage());
            e.printStackTrace();
        }
    }

    private String rootPassword(String instance) {
        Secret secret = client.secrets().inNamespace(namespace).withName(instance + "-credentials").get();
        if (secret == null || secret.getData() == null || !secret.getData().containsKey("mysql-root-password")) {
            return null;
        }
        return new String(Base64.getDecoder().decode(secret.getData().get("mysql-root-password")), StandardCharsets.UTF_8);
    }

    private void stop(String pod) {
        MariaDbServer server = servers.remove(pod);
        if (server != null) {
            server.close();
        }
    }

    @Override
    public void close() {
        informer.close();
        starters.forEach(ExecutorService::shutdownNow);
        servers.values().forEach(MariaDbServer::close);
        servers.clear();
    }
}
