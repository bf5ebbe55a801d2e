package io.teachtrack.operator.api;

import io.teachtrack.operator.testing.OperatorFiles;
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
                "target/generated-crds"), OperatorFiles.CRD_FILE);
        assertThat(generated).as("the build generates the CRD at process-classes").isRegularFile();
        assertThat(OperatorFiles.committedCrd()).isRegularFile();

        assertThat(Files.readString(OperatorFiles.committedCrd()))
                .as("crds/%s is stale: run `make crds` and commit the result", OperatorFiles.CRD_FILE)
                .isEqualTo(Files.readString(generated));
    }

    @Test
    void helmChartCarriesTheSameCrd() throws IOException {
        Path chartCrd = OperatorFiles.chartCrd();
        assertThat(Files.readString(chartCrd))
                .as("helm/teachtrack-operator/files/crds/%s differs from crds/: run `make crds`", OperatorFiles.CRD_FILE)
                .isEqualTo(Files.readString(OperatorFiles.committedCrd()));
        try (Stream<Path> files = Files.list(chartCrd.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(OperatorFiles.CRD_FILE);
        }
    }

    @Test
    void crdsHoldsOnlyGeneratedFiles() throws IOException {
        try (Stream<Path> files = Files.list(OperatorFiles.committedCrd().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(OperatorFiles.CRD_FILE);
        }
    }
}
