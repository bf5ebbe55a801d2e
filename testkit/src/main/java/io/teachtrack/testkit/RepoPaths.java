package io.teachtrack.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's files are, for tests run by Maven (system property) or from an IDE (a module directory). */
public final class RepoPaths {

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

    /** The database pods' start script and my.cnf files, as the operator's ConfigMap carries them. */
    public static Path databaseConfig() {
        return root().resolve("operator/src/main/resources/mysql");
    }
}
