package io.teachtrack.operator.docs;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.teachtrack.operator.api.crd.EmbeddedKubernetesTypes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** docs/crd-reference.md, written from the CRD itself: every field with its type, default, bounds and description. */
final class CrdReference {

    private CrdReference() {
    }

    static String of(CustomResourceDefinition crd) {
        CustomResourceDefinitionVersion version = crd.getSpec().getVersions().getFirst();
        JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
        StringBuilder out = new StringBuilder();
        out.append("# TeachTrack CRD reference\n\n")
                .append("<!-- Generated from crds/teachtracks.teachtrack.io-v1.yml by `make crd-docs`; CrdReferenceTest keeps it current. -->\n\n")
                .append("`").append(crd.getSpec().getGroup()).append("/").append(version.getName()).append("`, kind `")
                .append(crd.getSpec().getNames().getKind()).append("` (short name `").append(String.join("`, `", crd.getSpec().getNames().getShortNames()))
                .append("`), namespaced. `kubectl explain teachtrack.spec` shows the same descriptions, and those of the\n"
                        + "Kubernetes types the CRD embeds (affinity, tolerations, resources...), which have one row here.\n");
        if (root.getDescription() != null) {
            out.append("\n").append(escape(root.getDescription())).append("\n");
        }
        Map<String, Class<?>> embedded = EmbeddedKubernetesTypes.inTeachTrack();
        for (String part : List.of("spec", "status")) {
            JSONSchemaProps schema = root.getProperties().get(part);
            out.append("\n## ").append(part).append("\n\n").append(escape(schema.getDescription())).append("\n\n")
                    .append("| field | type | default | rules | description |\n|---|---|---|---|---|\n");
            List<String> rows = new ArrayList<>();
            fields(part, schema, rows, embedded);
            rows.forEach(row -> out.append(row).append('\n'));
        }
        out.append("\n## Columns of `kubectl get tt`\n\n| column | from | shown |\n|---|---|---|\n");
        for (CustomResourceColumnDefinition column : version.getAdditionalPrinterColumns()) {
            out.append("| ").append(column.getName()).append(" | `").append(column.getJsonPath()).append("` | ")
                    .append(column.getPriority() != null && column.getPriority() > 0 ? "with `-o wide`" : "always").append(" |\n");
        }
        return out.toString();
    }

    /**
     * One row per field. A Kubernetes type the CRD embeds (affinity, tolerations...) gets one row, naming the type:
     * its fields are Kubernetes' own, and {@code kubectl explain} shows them with Kubernetes' descriptions.
     */
    private static void fields(String path, JSONSchemaProps schema, List<String> rows, Map<String, Class<?>> embedded) {
        Map<String, JSONSchemaProps> properties = schema.getProperties();
        if (properties == null) {
            return;
        }
        for (Map.Entry<String, JSONSchemaProps> field : properties.entrySet()) {
            String name = path + "." + field.getKey();
            JSONSchemaProps props = field.getValue();
            Class<?> kubernetesType = embedded.getOrDefault(name, embedded.get(name + "[]"));
            String type = kubernetesType == null ? type(props)
                    : type(props).replace("object", "Kubernetes " + kubernetesType.getSimpleName());
            rows.add("| `" + name + "` | " + type + " | " + (props.getDefault() == null ? "" : "`" + props.getDefault() + "`") + " | "
                    + rules(props) + " | " + escape(props.getDescription()) + " |");
            if (kubernetesType != null) {
                continue;
            }
            fields(name, props, rows, embedded);
            if (props.getItems() != null && props.getItems().getSchema() != null) {
                fields(name + "[]", props.getItems().getSchema(), rows, embedded);
            }
        }
    }

    private static String type(JSONSchemaProps props) {
        if (Boolean.TRUE.equals(props.getXKubernetesIntOrString())) {
            return "int or string";
        }
        if ("array".equals(props.getType()) && props.getItems() != null && props.getItems().getSchema() != null) {
            return "[]" + type(props.getItems().getSchema());
        }
        if ("object".equals(props.getType()) && props.getAdditionalProperties() != null && props.getAdditionalProperties().getSchema() != null) {
            return "map of " + type(props.getAdditionalProperties().getSchema());
        }
        return props.getType() == null ? "any" : props.getType();
    }

    private static String rules(JSONSchemaProps props) {
        List<String> rules = new ArrayList<>();
        if (props.getEnum() != null && !props.getEnum().isEmpty()) {
            rules.add("one of " + String.join(", ", props.getEnum().stream().map(e -> "`" + e.asText() + "`").toList()));
        }
        if (props.getMinimum() != null) {
            rules.add("≥ " + number(props.getMinimum()));
        }
        if (props.getMaximum() != null) {
            rules.add("≤ " + number(props.getMaximum()));
        }
        if (props.getMinLength() != null) {
            rules.add("length ≥ " + props.getMinLength());
        }
        if (props.getMaxLength() != null) {
            rules.add("length ≤ " + props.getMaxLength());
        }
        if (props.getMaxItems() != null) {
            rules.add("at most " + props.getMaxItems() + " items");
        }
        if (props.getMaxProperties() != null) {
            rules.add("at most " + props.getMaxProperties() + " entries");
        }
        if (props.getPattern() != null) {
            rules.add("matches `" + props.getPattern().replace("|", "\\|") + "`");
        }
        if (props.getXKubernetesValidations() != null) {
            for (ValidationRule rule : props.getXKubernetesValidations()) {
                rules.add(escape(rule.getMessage()));
            }
        }
        return String.join("; ", rules);
    }

    private static String number(Double value) {
        return value == Math.rint(value) ? String.valueOf(value.longValue()) : String.valueOf(value);
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
