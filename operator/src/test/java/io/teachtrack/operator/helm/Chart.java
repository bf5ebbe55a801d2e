package io.teachtrack.operator.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.teachtrack.operator.testing.RepoPaths;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The operator's Helm chart, rendered by real Helm (helm-java). */
final class Chart {

    static final String RELEASE = "teachtrack";

    private Chart() {
    }

    static Helm helm() {
        return new Helm(RepoPaths.root().resolve("helm/teachtrack-operator"));
    }

    static String render(String namespace, Map<String, Object> values) {
        // The local cluster's release, so that the chart's kubeVersion constraint is checked against it.
        TemplateCommand template = helm().template().withName(RELEASE).withNamespace(namespace).withKubeVersion("1.34.4");
        values.forEach(template::set);
        return template.call();
    }

    static List<HasMetadata> objects(String rendered) {
        return Arrays.stream(rendered.split("(?m)^---\\s*$"))
                .filter(doc -> doc.lines().anyMatch(l -> l.startsWith("kind:")))
                .map(doc -> (HasMetadata) Serialization.unmarshal(doc))
                .toList();
    }
}
