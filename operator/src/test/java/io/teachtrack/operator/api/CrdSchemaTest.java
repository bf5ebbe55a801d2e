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
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties of the committed CRD that the API contract (DESIGN.md §3) promises, checked without a server. */
class CrdSchemaTest {

    /** Embedded core types whose schema comes from the Kubernetes model, not from our classes. */
    private static final Set<String> FOREIGN_SUBTREES = Set.of("resources", "conditions");

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
    void everyFieldOfSpecAndStatusHasADescription() {
        List<String> undescribed = new ArrayList<>();
        JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
        walk("spec", root.getProperties().get("spec"), undescribed, false);
        walk("status", root.getProperties().get("status"), undescribed, false);
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

    private static void walk(String path, JSONSchemaProps schema, List<String> undescribed, boolean foreign) {
        if (schema == null) {
            return;
        }
        if (!foreign && (schema.getDescription() == null || schema.getDescription().isBlank())) {
            undescribed.add(path);
        }
        boolean nextForeign = foreign || FOREIGN_SUBTREES.contains(path.substring(path.lastIndexOf('.') + 1));
        if (schema.getProperties() != null) {
            for (Map.Entry<String, JSONSchemaProps> e : schema.getProperties().entrySet()) {
                walk(path + "." + e.getKey(), e.getValue(), undescribed, nextForeign);
            }
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            walk(path + "[]", schema.getItems().getSchema(), undescribed, true);
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
