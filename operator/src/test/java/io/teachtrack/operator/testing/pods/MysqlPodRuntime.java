package io.teachtrack.operator.testing.pods;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.teachtrack.operator.model.Component;
import io.teachtrack.operator.model.CredentialKeys;
import io.teachtrack.operator.model.MysqlConfigModel;
import io.teachtrack.operator.model.Names;
import io.teachtrack.testkit.DatabaseEngine;
import io.teachtrack.testkit.DatabaseServer;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * A MySQL pod as a real database server on the pod IP: the engine's image under runc, with the start script and
 * my.cnf of the operator's ConfigMap that the pod mounts, its environment (engine, server id base) and the root
 * password of the Secret it mounts.
 */
public final class MysqlPodRuntime implements PodRuntime {

    private static final String CONFIG_VOLUME = "config";
    private static final String PASSWORD_VOLUME = "root-password";

    @Override
    public String component() {
        return Component.MYSQL.label();
    }

    @Override
    public Optional<PodProcess> start(Pod pod, Map<String, String> env, PodContext context) {
        Optional<ConfigMap> configMap = context.configMap(volume(pod, CONFIG_VOLUME).getConfigMap().getName());
        Optional<String> rootPassword = context.secretValue(volume(pod, PASSWORD_VOLUME).getSecret().getSecretName(),
                CredentialKeys.MYSQL_ROOT_PASSWORD);
        if (configMap.isEmpty() || rootPassword.isEmpty()) {
            return Optional.empty();
        }
        String engineName = env.get(MysqlConfigModel.ENGINE_ENV);
        DatabaseEngine engine = Arrays.stream(DatabaseEngine.values()).filter(e -> e.specName().equals(engineName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("pod " + pod.getMetadata().getName() + " names no engine"));
        String ip = pod.getStatus().getPodIP();
        DatabaseServer server = DatabaseServer.builder(engine, context.directory(pod).getParent(), pod.getMetadata().getName())
                .serverIdBase(Integer.parseInt(env.get(MysqlConfigModel.SERVER_ID_BASE_ENV)))
                .rootPassword(rootPassword.get())
                .address(ip, Names.MYSQL_PORT)
                .configFiles(Map.of(MysqlConfigModel.MY_CNF, configMap.get().getData().get(MysqlConfigModel.MY_CNF),
                        MysqlConfigModel.START_SCRIPT, configMap.get().getData().get(MysqlConfigModel.START_SCRIPT)))
                .build().start();
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

    private static Volume volume(Pod pod, String name) {
        return pod.getSpec().getVolumes().stream().filter(v -> name.equals(v.getName())).findFirst()
                .orElseThrow(() -> new IllegalStateException("MySQL pod without a " + name + " volume"));
    }
}
