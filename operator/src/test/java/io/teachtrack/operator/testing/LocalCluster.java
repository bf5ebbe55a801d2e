package io.teachtrack.operator.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.teachtrack.testkit.Processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real local cluster (kwokctl, binary runtime: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler, kwok) the API-server and cluster tiers run against. It is started through
 * {@code operator/scripts/local-cluster.sh up}, which is a no-op when the cluster already runs, and which
 * builds the binaries first when none exist. When it cannot be started, the test fails with the script's output.
 */
public final class LocalCluster {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(40);
    private static Path kubeconfig;
    private static Path binDir;
    private static KubernetesClient client;

    private LocalCluster() {
    }

    public static synchronized Path kubeconfig() {
        if (kubeconfig == null) {
            List<String> up = List.of(OperatorFiles.scripts().resolve("local-cluster.sh").toString(), "up");
            kubeconfig = Path.of(lastLine(Processes.run(up, OperatorFiles.root(), START_TIMEOUT).requireSuccess(up).stdout()));
        }
        return kubeconfig;
    }

    public static synchronized Path binDir() {
        if (binDir == null) {
            List<String> bins = List.of(OperatorFiles.scripts().resolve("k8s-binaries.sh").toString());
            binDir = Path.of(lastLine(Processes.run(bins, OperatorFiles.root(), START_TIMEOUT).requireSuccess(bins).stdout()));
        }
        return binDir;
    }

    public static synchronized KubernetesClient client() {
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

    /** The kube-apiserver's audit log (see local-cluster.sh for its policy). */
    public static AuditLog auditLog() {
        kubeconfig();
        // Same resolution as local-cluster.sh: TEACHTRACK_CACHE, else $XDG_CACHE_HOME/teachtrack, else ~/.cache/teachtrack.
        String xdg = System.getenv().getOrDefault("XDG_CACHE_HOME", Path.of(System.getProperty("user.home"), ".cache").toString());
        String cache = System.getenv().getOrDefault("TEACHTRACK_CACHE", Path.of(xdg, "teachtrack").toString());
        String name = System.getenv().getOrDefault("TEACHTRACK_CLUSTER_NAME", "teachtrack");
        return new AuditLog(Path.of(cache, "kwok", "clusters", name, "logs", "audit.log"));
    }

    /** Installs (server-side apply) the committed CRD and waits until it is Established. */
    public static CustomResourceDefinition installCrd() {
        KubernetesClient c = client();
        CustomResourceDefinition crd;
        try (var in = Files.newInputStream(OperatorFiles.committedCrd())) {
            crd = c.apiextensions().v1().customResourceDefinitions().load(in).item();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        c.resource(crd).fieldManager("teachtrack-crds").forceConflicts().serverSideApply();
        return c.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                .waitUntilCondition(d -> d != null && d.getStatus() != null && d.getStatus().getConditions().stream()
                        .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                        60, TimeUnit.SECONDS);
    }

    /** Creates a fresh namespace for one test class. */
    public static String createNamespace(String prefix) {
        return ensureNamespace((prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT));
    }

    /** Creates the namespace unless it exists (the demo's, kept between runs). */
    public static String ensureNamespace(String name) {
        if (client().namespaces().withName(name).get() == null) {
            client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        }
        return name;
    }

    public static void deleteNamespace(String name) {
        client().namespaces().withName(name).delete();
    }

    /** Runs the cluster's own kubectl against the local cluster; fails with its output on a non-zero exit. */
    public static String kubectl(String... args) {
        return kubectlResult(args).requireSuccess(kubectlCommand(args)).stdout();
    }

    public static Processes.Result kubectlResult(String... args) {
        return Processes.run(kubectlCommand(args), OperatorFiles.root(), Duration.ofMinutes(2));
    }

    private static List<String> kubectlCommand(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binDir().resolve("kubectl").toString());
        command.add("--kubeconfig=" + kubeconfig());
        command.addAll(List.of(args));
        return command;
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
