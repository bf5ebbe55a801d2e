package io.teachtrack.operator.docs;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.teachtrack.operator.testing.OperatorFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/crd-reference.md is what the CRD says; `make crd-docs` writes it (-Dteachtrack.write-docs=true). */
class CrdReferenceTest {

    private static final Path REFERENCE = OperatorFiles.root().resolve("docs/crd-reference.md");

    @Test
    void theReferenceIsGeneratedFromTheCommittedCrd() throws IOException {
        String generated = CrdReference.of(Serialization.unmarshal(Files.readString(OperatorFiles.committedCrd()), CustomResourceDefinition.class));
        if (Boolean.getBoolean("teachtrack.write-docs")) {
            Files.writeString(REFERENCE, generated);
        }
        assertThat(generated).contains("| `spec.mysql.failover.afterSeconds` | integer |", "| `status.mysql.primary` | string |",
                "| Ready | `.status.conditions[?(@.type==\"Ready\")].status` | always |");
        assertThat(Files.readString(REFERENCE)).as("docs/crd-reference.md is stale: run `make crd-docs` and commit the result")
                .isEqualTo(generated);
    }
}
