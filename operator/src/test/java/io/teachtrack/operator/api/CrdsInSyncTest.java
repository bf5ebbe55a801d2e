package io.teachtrack.operator.api;

import io.teachtrack.operator.testing.RepoPaths;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** crds/ is what the build generates from the Java classes, byte for byte. */
class CrdsInSyncTest {

    @Test
    void committedCrdEqualsGeneratedCrd() throws IOException {
        Path generated = Path.of(System.getProperty("teachtrack-build.generated-crd-dir",
                "target/generated-crds"), RepoPaths.CRD_FILE);
        assertThat(generated).as("the build generates the CRD at process-classes").isRegularFile();
        assertThat(RepoPaths.committedCrd()).isRegularFile();

        assertThat(Files.readString(RepoPaths.committedCrd()))
                .as("crds/%s is stale: run `make crds` and commit the result", RepoPaths.CRD_FILE)
                .isEqualTo(Files.readString(generated));
    }

    @Test
    void helmChartCarriesTheSameCrd() throws IOException {
        Path chartCrd = RepoPaths.root().resolve("helm/teachtrack-operator/crds").resolve(RepoPaths.CRD_FILE);
        assertThat(Files.readString(chartCrd))
                .as("helm/teachtrack-operator/crds/%s differs from crds/: run `make crds`", RepoPaths.CRD_FILE)
                .isEqualTo(Files.readString(RepoPaths.committedCrd()));
        try (Stream<Path> files = Files.list(chartCrd.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(RepoPaths.CRD_FILE);
        }
    }

    @Test
    void crdsHoldsOnlyGeneratedFiles() throws IOException {
        try (Stream<Path> files = Files.list(RepoPaths.committedCrd().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(RepoPaths.CRD_FILE);
        }
    }
}
