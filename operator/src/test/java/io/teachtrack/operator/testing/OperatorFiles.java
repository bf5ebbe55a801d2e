package io.teachtrack.operator.testing;

import io.teachtrack.testkit.RepoPaths;

import java.nio.file.Path;

/** The operator's files in the repository (the root comes from the test kit). */
public final class OperatorFiles {

    public static final String CRD_FILE = "teachtracks.teachtrack.io-v1.yml";

    private OperatorFiles() {
    }

    public static Path root() {
        return RepoPaths.root();
    }

    public static Path committedCrd() {
        return root().resolve("crds").resolve(CRD_FILE);
    }

    /** The chart's copy, which its template renders with the chart's labels and keep policy added. */
    public static Path chartCrd() {
        return root().resolve("helm/teachtrack-operator/files/crds").resolve(CRD_FILE);
    }

    public static Path samples() {
        return root().resolve("samples");
    }

    public static Path scripts() {
        return root().resolve("operator").resolve("scripts");
    }
}
