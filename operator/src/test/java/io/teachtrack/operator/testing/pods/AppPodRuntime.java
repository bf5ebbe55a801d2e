package io.teachtrack.operator.testing.pods;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Pod;
import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.testing.OperatorFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API and worker pods as the API image's packaged jar ({@code app-image/target/quarkus-app}) run with the pod's
 * environment, serving HTTP on the pod IP; readiness is the container's httpGet probe.
 */
public final class AppPodRuntime implements PodRuntime {

    private final String component;

    public AppPodRuntime(String component) {
        this.component = component;
    }

    public static Path jar() {
        Path jar = OperatorFiles.root().resolve("app-image/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the API image is not packaged: " + jar + " (run ./mvnw package)");
        }
        return jar;
    }

    @Override
    public String component() {
        return component;
    }

    @Override
    public Optional<PodProcess> start(Pod pod, Map<String, String> podEnv, PodContext context) {
        String ip = pod.getStatus().getPodIP();
        Map<String, String> env = new HashMap<>(podEnv);
        env.put("QUARKUS_HTTP_HOST", ip);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(Names.API_PORT));
        // Small heaps and a quick JIT: a demo runs six of these on two cores.
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar().toString());
        String path = readinessPath(PodContext.container(pod));
        return Optional.of(new CommandPodProcess(command, env, context.directory(pod).resolve("app.log"),
                () -> Probes.httpOk(ip, Names.API_PORT, path)).start());
    }

    private static String readinessPath(Container container) {
        HTTPGetAction get = container.getReadinessProbe() == null ? null : container.getReadinessProbe().getHttpGet();
        if (get == null) {
            throw new IllegalStateException("the " + container.getName() + " container has no httpGet readiness probe");
        }
        return get.getPath();
    }
}
