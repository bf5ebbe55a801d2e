package io.teachtrack.operator.testing.pods;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.teachtrack.operator.model.Component;
import io.teachtrack.operator.model.MysqlConfigModel;
import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.testing.MariaDbServer;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A MySQL pod as a real MariaDB server on the pod IP: the my.cnf fragments its {@code config} volume mounts
 * from the operator's ConfigMap, the server id its start script derives (base from the pod's environment plus
 * the ordinal), the root password from its environment.
 */
public final class MysqlPodRuntime implements PodRuntime {

    private static final String CONFIG_VOLUME = "config";

    @Override
    public String component() {
        return Component.MYSQL.label();
    }

    @Override
    public Optional<PodProcess> start(Pod pod, Map<String, String> env, PodContext context) {
        Optional<String> cnf = configFragments(pod, context);
        if (cnf.isEmpty()) {
            return Optional.empty();
        }
        if (!cnf.get().startsWith("[mariadbd]")) {
            throw new IllegalStateException("pod " + pod.getMetadata().getName() + " wants MySQL 8.4, which cannot be "
                    + "installed here: only TeachTracks with spec.mysql.engine MariaDB run on the local cluster");
        }
        String name = pod.getMetadata().getName();
        int ordinal = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        int serverId = Integer.parseInt(env.get(MysqlConfigModel.SERVER_ID_BASE_ENV)) + ordinal;
        String rootPassword = env.getOrDefault("MARIADB_ROOT_PASSWORD", env.get("MYSQL_ROOT_PASSWORD"));
        String ip = pod.getStatus().getPodIP();
        MariaDbServer server = new MariaDbServer(context.directory(pod).getParent(), name, cnf.get(), serverId,
                rootPassword, ip, Names.MYSQL_PORT).start();
        return Optional.of(new PodProcess() {
            @Override
            public boolean isAlive() {
                return server.isAlive();
            }

            @Override
            public boolean probeReady() {
                return server.isAlive() && Probes.mysqlGreets(ip, Names.MYSQL_PORT);
            }

            @Override
            public void kill() {
                server.close();
            }

            @Override
            public void restart() {
                server.close();
                server.start();
            }
        });
    }

    /** The ConfigMap keys the pod's config volume mounts, in the order of their file names (as conf.d reads them). */
    private static Optional<String> configFragments(Pod pod, PodContext context) {
        Volume volume = pod.getSpec().getVolumes().stream().filter(v -> CONFIG_VOLUME.equals(v.getName()))
                .findFirst().orElseThrow(() -> new IllegalStateException("MySQL pod without a config volume"));
        Optional<ConfigMap> configMap = context.configMap(volume.getConfigMap().getName());
        return configMap.map(cm -> volume.getConfigMap().getItems().stream()
                .sorted(Comparator.comparing(KeyToPath::getPath))
                .map(item -> cm.getData().get(item.getKey()))
                .collect(Collectors.joining("\n")));
    }
}
