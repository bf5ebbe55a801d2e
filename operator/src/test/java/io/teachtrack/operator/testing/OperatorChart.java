package io.teachtrack.operator.testing;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.teachtrack.testkit.Processes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The operator's Helm chart, rendered by real Helm (helm-java). */
public final class OperatorChart {

    public static final String RELEASE = "teachtrack";
    private static final Duration TOOL_BUILD_TIMEOUT = Duration.ofMinutes(40);
    /** Where k8s-binaries.sh put the node's tools: asked once per test JVM. */
    private static Path nodeTools;

    private OperatorChart() {
    }

    public static Helm helm() {
        return new Helm(OperatorFiles.root().resolve("helm/teachtrack-operator"));
    }

    /**
     * The chart's README as helm-docs writes it from README.md.gotmpl and the values' comments (`make chart-docs`),
     * printed instead of written; helm-docs is built with the node's tools, like Helm.
     */
    public static String generatedReadme() {
        List<String> helmDocs = List.of(nodeTool("helm-docs").toString(), "--chart-search-root", "helm",
                "--sort-values-order", "file", "--log-level", "warning", "--dry-run");
        return Processes.run(helmDocs, OperatorFiles.root(), Duration.ofMinutes(2)).requireSuccess(helmDocs).stdout();
    }

    /**
     * A tool built with the node's components (helm-docs, promtool): {@code k8s-binaries.sh node} builds what is
     * missing, which on a fresh machine takes minutes.
     */
    public static synchronized Path nodeTool(String name) {
        if (nodeTools == null) {
            List<String> tools = List.of(OperatorFiles.scripts().resolve("k8s-binaries.sh").toString(), "node");
            nodeTools = Path.of(Processes.run(tools, OperatorFiles.root(), TOOL_BUILD_TIMEOUT).requireSuccess(tools).stdout().strip()
                    .lines().reduce((first, last) -> last).orElseThrow());
        }
        return nodeTools.resolve(name);
    }

    public static Path committedReadme() {
        return OperatorFiles.root().resolve("helm/teachtrack-operator/README.md");
    }

    public static String render(String namespace, Map<String, Object> values) {
        return render(RELEASE, namespace, values);
    }

    public static String render(String release, String namespace, Map<String, Object> values) {
        // The local cluster's release, so that the chart's kubeVersion constraint is checked against it.
        TemplateCommand template = helm().template().withName(release).withNamespace(namespace).withKubeVersion("1.34.4");
        values.forEach(template::set);
        return template.call();
    }

    public static List<HasMetadata> objects(String rendered) {
        return Arrays.stream(rendered.split("(?m)^---\\s*$"))
                .filter(doc -> doc.lines().anyMatch(l -> l.startsWith("kind:")))
                .map(doc -> (HasMetadata) Serialization.unmarshal(doc))
                .toList();
    }

    /** What RBAC rules grant, as {@code group/resource[/subresource]:verb}. */
    public static Set<String> permissions(List<PolicyRule> rules) {
        Set<String> permissions = new TreeSet<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        permissions.add(group + "/" + resource + ":" + verb);
                    }
                }
            }
        }
        return permissions;
    }
}
