package io.teachtrack.operator.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Gives the fields of the Kubernetes types the CRD embeds ({@link EmbeddedKubernetesTypes}) the descriptions
 * Kubernetes gives them, so that {@code kubectl explain} describes every field; the fabric8 generator leaves them
 * empty. The descriptions come from {@code src/crd/kubernetes-definitions.json} ({@code make k8s-definitions}, from
 * the OpenAPI document of the Kubernetes version the project builds). A type or field without one fails the build,
 * named.
 */
final class KubernetesDescriptions implements CRDPostProcessor {

    private final JsonNode definitions;
    private final Map<String, Class<?>> embedded;
    private final List<String> missing = new ArrayList<>();

    KubernetesDescriptions(Path definitionsFile, Map<String, Class<?>> embedded) throws IOException {
        this.definitions = new ObjectMapper().readTree(definitionsFile.toFile()).path("definitions");
        this.embedded = embedded;
    }

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        for (var version : ((CustomResourceDefinition) crd).getSpec().getVersions()) {
            JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
            embedded.forEach((path, type) -> describe(at(root, path), definitionOf(type)));
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no Kubernetes description for " + missing
                    + ": run `make k8s-definitions` (add the type to its roots if the CRD embeds a new one)");
        }
        return crd;
    }

    /** A schema made from the Kubernetes type {@code definition} (its OpenAPI name). */
    private void describe(JSONSchemaProps schema, String definition) {
        if (definition == null || schema.getProperties() == null) {
            return;
        }
        JsonNode properties = definitions.path(definition).path("properties");
        schema.getProperties().forEach((name, property) -> {
            JsonNode described = properties.path(name);
            if (described.path("description").asText("").isBlank()) {
                missing.add(definition + "." + name);
                return;
            }
            if (property.getDescription() == null || property.getDescription().isBlank()) {
                property.setDescription(described.path("description").asText());
            }
            if (described.has("type")) {
                describe(valuesOf(property), described.path("type").asText());
            }
        });
    }

    /** The OpenAPI name of a fabric8 model class: the one definition with its simple name. */
    private String definitionOf(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = definitions.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.endsWith("." + type.getSimpleName())) {
                names.add(name);
            }
        }
        if (names.size() != 1) {
            missing.add(type.getName() + (names.isEmpty() ? "" : " (several: " + names + ")"));
            return null;
        }
        return names.getFirst();
    }

    /** The schema at a path of {@link EmbeddedKubernetesTypes} ("spec.api.tolerations[]"). */
    private static JSONSchemaProps at(JSONSchemaProps root, String path) {
        JSONSchemaProps schema = root;
        for (String part : path.split("\\.")) {
            boolean items = part.endsWith("[]");
            schema = schema.getProperties().get(items ? part.substring(0, part.length() - 2) : part);
            if (schema == null) {
                throw new IllegalStateException("the CRD has no field " + path);
            }
            if (items) {
                schema = schema.getItems().getSchema();
            }
        }
        return schema;
    }

    /** An array's item schema, a map's value schema, or the schema itself. */
    private static JSONSchemaProps valuesOf(JSONSchemaProps property) {
        if (property.getItems() != null && property.getItems().getSchema() != null) {
            return property.getItems().getSchema();
        }
        if (property.getAdditionalProperties() != null && property.getAdditionalProperties().getSchema() != null) {
            return property.getAdditionalProperties().getSchema();
        }
        return property;
    }
}
