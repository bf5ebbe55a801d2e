package io.teachtrack.operator.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.teachtrack.testkit.Images;
import io.teachtrack.testkit.Processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One local cluster, started on first use through its script ({@code <script> up}, a no-op when it already runs,
 * which builds what is missing first), and what the tests do with it. When the cluster cannot be started, the test
 * fails with the script's output.
 */
public final class ClusterAccess {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(40);

    private final String script;
    private final Path auditLog;
    private Path kubeconfig;
    private Path binDir;
    private KubernetesClient client;

    /** {@code auditLog} relative to the machine's TeachTrack cache (see the script for its policy). */
    ClusterAccess(String script, String auditLog) {
        this.script = script;
        this.auditLog = cacheRoot().resolve(auditLog);
    }

    /** Same resolution as the scripts: TEACHTRACK_CACHE, else $XDG_CACHE_HOME/teachtrack, else ~/.cache/teachtrack. */
    static Path cacheRoot() {
        return Images.cache();
    }

    static String clusterName() {
        return System.getenv().getOrDefault("TEACHTRACK_CLUSTER_NAME", "teachtrack");
    }

    public synchronized Path kubeconfig() {
        if (kubeconfig == null) {
            List<String> up = List.of(OperatorFiles.scripts().resolve(script).toString(), "up");
            kubeconfig = Path.of(lastLine(Processes.run(up, OperatorFiles.root(), START_TIMEOUT).requireSuccess(up).stdout()));
        }
        return kubeconfig;
    }

    public synchronized Path binDir() {
        if (binDir == null) {
            List<String> bins = List.of(OperatorFiles.scripts().resolve("k8s-binaries.sh").toString());
            binDir = Path.of(lastLine(Processes.run(bins, OperatorFiles.root(), START_TIMEOUT).requireSuccess(bins).stdout()));
        }
        return binDir;
    }

    public synchronized KubernetesClient client() {
        if (client == null) {
            try {
                Config config = Config.fromKubeconfig(Files.readString(kubeconfig()));
                client = new KubernetesClientBuilder().withConfig(config).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return client;
    }

    public AuditLog auditLog() {
        kubeconfig();
        return new AuditLog(auditLog);
    }

    public CustomResourceDefinition installCrd() {
        KubernetesClient c = client();
        CustomResourceDefinition crd;
        try (var in = Files.newInputStream(OperatorFiles.committedCrd())) {
            crd = c.apiextensions().v1().customResourceDefinitions().load(in).item();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return applyCrd(crd, "teachtrack-crds");
    }

    /** Applies a CRD (server-side) and waits until the API server serves it: Established, which a new CRD is not at first. */
    public CustomResourceDefinition applyCrd(CustomResourceDefinition crd, String fieldManager) {
        KubernetesClient c = client();
        c.resource(crd).fieldManager(fieldManager).forceConflicts().serverSideApply();
        return c.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                .waitUntilCondition(d -> d != null && d.getStatus() != null && d.getStatus().getConditions() != null
                        && d.getStatus().getConditions().stream()
                                .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                        60, TimeUnit.SECONDS);
    }

    public String createNamespace(String prefix) {
        return ensureNamespace((prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT));
    }

    public String ensureNamespace(String name) {
        if (client().namespaces().withName(name).get() == null) {
            client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        }
        return name;
    }

    public void deleteNamespace(String name) {
        client().namespaces().withName(name).delete();
    }

    /** Runs the cluster's own kubectl; fails with its output on a non-zero exit. */
    public String kubectl(String... args) {
        return kubectlResult(args).requireSuccess(List.of(args)).stdout();
    }

    public Processes.Result kubectlResult(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binDir().resolve("kubectl").toString());
        command.add("--kubeconfig=" + kubeconfig());
        command.addAll(List.of(args));
        return Processes.run(command, OperatorFiles.root(), Duration.ofMinutes(2));
    }

    /**
     * Runs {@code kubectl teachtrack ...} as a user who copied the plugin onto the PATH: kubectl finds it there and
     * the plugin calls the cluster's kubectl with the cluster's kubeconfig.
     */
    public Processes.Result plugin(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binDir().resolve("kubectl").toString());
        command.add("teachtrack");
        command.addAll(List.of(args));
        String path = OperatorFiles.root().resolve("kubectl-plugin") + ":" + binDir() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Processes.run(command, OperatorFiles.root(), Duration.ofMinutes(6),
                Map.of("PATH", path, "KUBECONFIG", kubeconfig().toString()));
    }

    /** Runs the cluster's script with the given arguments; fails with its output on a non-zero exit. */
    public String script(String... args) {
        List<String> command = new ArrayList<>();
        command.add(OperatorFiles.scripts().resolve(script).toString());
        command.addAll(List.of(args));
        return Processes.run(command, OperatorFiles.root(), START_TIMEOUT).requireSuccess(command).stdout();
    }

    /** Forgets the started cluster (after its script brought it down), so the next use starts it again. */
    synchronized void forget() {
        if (client != null) {
            client.close();
        }
        client = null;
        kubeconfig = null;
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
