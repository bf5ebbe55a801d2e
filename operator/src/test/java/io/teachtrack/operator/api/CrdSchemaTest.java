package io.teachtrack.operator.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.teachtrack.operator.testing.OperatorFiles;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties of the committed CRD that the API contract (DESIGN.md §3) promises, checked without a server. */
class CrdSchemaTest {

    private static CustomResourceDefinitionVersion version;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = Files.newInputStream(OperatorFiles.committedCrd())) {
            CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
            assertThat(crd.getSpec().getVersions()).hasSize(1);
            version = crd.getSpec().getVersions().get(0);
        }
    }

    @Test
    void everyFieldDownToTheEmbeddedKubernetesTypesHasADescription() {
        List<String> undescribed = new ArrayList<>();
        JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
        walk("spec", root.getProperties().get("spec"), undescribed);
        walk("status", root.getProperties().get("status"), undescribed);
        assertThat(undescribed).as("fields without a description (kubectl explain shows nothing)").isEmpty();
    }

    @Test
    void defaultsAreScalarsOrEmptyObjectsAndNeverInsideArrays() {
        List<String> offending = new ArrayList<>();
        checkDefaults("spec", version.getSchema().getOpenAPIV3Schema().getProperties().get("spec"), false, offending);
        assertThat(offending).isEmpty();
    }

    @Test
    void printerColumnsAreInTheDocumentedOrder() {
        assertThat(version.getAdditionalPrinterColumns())
                .extracting(c -> c.getName().toUpperCase(), c -> c.getPriority())
                .containsExactly(
                        Tuple.tuple("READY", 0),
                        Tuple.tuple("PHASE", 0),
                        Tuple.tuple("API", 0),
                        Tuple.tuple("REPLICAS", 0),
                        Tuple.tuple("LAG", 0),
                        Tuple.tuple("AGE", 0),
                        Tuple.tuple("PRIMARY", 1));
        assertThat(version.getSubresources().getStatus()).as("status subresource").isNotNull();
    }

    /** Every property, down to the Kubernetes types the CRD embeds (their descriptions come from Kubernetes). */
    private static void walk(String path, JSONSchemaProps schema, List<String> undescribed) {
        if (schema.getDescription() == null || schema.getDescription().isBlank()) {
            undescribed.add(path);
        }
        properties(path, schema, undescribed);
    }

    /** The properties of an object, of an array's items or of a map's values. */
    private static void properties(String path, JSONSchemaProps schema, List<String> undescribed) {
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, property) -> walk(path + "." + name, property, undescribed));
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            properties(path + "[]", schema.getItems().getSchema(), undescribed);
        }
        if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
            properties(path + "{}", schema.getAdditionalProperties().getSchema(), undescribed);
        }
    }

    private static void checkDefaults(String path, JSONSchemaProps schema, boolean inArray, List<String> offending) {
        if (schema == null) {
            return;
        }
        if (schema.getDefault() != null) {
            boolean emptyObject = schema.getDefault().isObject() && schema.getDefault().isEmpty();
            if (inArray || !(schema.getDefault().isValueNode() || emptyObject)) {
                offending.add(path + " default " + schema.getDefault());
            }
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((k, v) -> checkDefaults(path + "." + k, v, inArray, offending));
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            checkDefaults(path + "[]", schema.getItems().getSchema(), true, offending);
        }
    }
}
