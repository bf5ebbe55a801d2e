package io.teachtrack.operator.testing.pods;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.teachtrack.operator.model.Component;
import io.teachtrack.operator.model.Names;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Redis pod as Debian's redis-server with the container's own command line, bound to the pod IP. */
public final class RedisPodRuntime implements PodRuntime {

    @Override
    public String component() {
        return Component.REDIS.label();
    }

    @Override
    public Optional<PodProcess> start(Pod pod, Map<String, String> env, PodContext context) {
        Container container = PodContext.container(pod);
        Path dir = context.directory(pod);
        String ip = pod.getStatus().getPodIP();
        List<String> command = new ArrayList<>(container.getCommand());
        command.addAll(Optional.ofNullable(container.getArgs()).orElse(List.of()));
        // In the container Redis listens on every interface of the pod; here the pod's interface is its IP.
        command.addAll(List.of("--bind", ip, "--dir", dir.toString(), "--daemonize", "no"));
        return Optional.of(new CommandPodProcess(command, env, dir.resolve("redis.log"),
                () -> Probes.redisPongs(ip, Names.REDIS_PORT)).start());
    }
}
