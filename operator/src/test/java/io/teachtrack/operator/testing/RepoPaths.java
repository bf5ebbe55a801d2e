package io.teachtrack.operator.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's files are, for tests run by Maven (system property) or from an IDE. */
public final class RepoPaths {

    public static final String CRD_FILE = "teachtracks.teachtrack.io-v1.yml";

    private RepoPaths() {
    }

    public static Path root() {
        String configured = System.getProperty("teachtrack-build.repo-root");
        Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent();
        root = root.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("operator"))) {
            throw new IllegalStateException("not the repository root: " + root);
        }
        return root;
    }

    public static Path committedCrd() {
        return root().resolve("crds").resolve(CRD_FILE);
    }

    public static Path samples() {
        return root().resolve("samples");
    }

    public static Path scripts() {
        return root().resolve("operator").resolve("scripts");
    }
}
