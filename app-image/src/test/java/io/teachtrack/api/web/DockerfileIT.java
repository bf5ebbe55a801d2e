package io.teachtrack.api.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No container engine exists on the build machines, so the image is not built here; this checks what can be checked:
 * every file the Dockerfile copies exists in the packaged app, and the image runs as the uid the operator's pods use.
 */
class DockerfileIT {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Pattern COPY = Pattern.compile("^COPY (?:--chown=\\S+ )?(\\S+) (\\S+)$", Pattern.MULTILINE);

    @Test
    void everyCopiedPathIsInTheBuildOutput() throws IOException {
        String dockerfile = Files.readString(MODULE.resolve("Dockerfile"));
        Matcher copy = COPY.matcher(dockerfile);
        int copies = 0;
        while (copy.find()) {
            copies++;
            String source = copy.group(1);
            if (source.contains("*")) {
                Path dir = MODULE.resolve(source.substring(0, source.lastIndexOf('/')));
                try (DirectoryStream<Path> matches = Files.newDirectoryStream(dir, source.substring(source.lastIndexOf('/') + 1))) {
                    assertThat(matches.iterator().hasNext()).as(source).isTrue();
                }
            } else {
                assertThat(MODULE.resolve(source)).as(source).exists();
            }
        }
        assertThat(copies).isEqualTo(4);
        assertThat(MODULE.resolve("target/quarkus-app/quarkus-run.jar")).isRegularFile();
    }

    @Test
    void theImageRunsAsTheOperatorsNonRootUidAndServesPort8080() throws IOException {
        List<String> lines = Files.readAllLines(MODULE.resolve("Dockerfile"));
        assertThat(lines).contains("USER 185", "EXPOSE 8080");
        assertThat(lines).anyMatch(line -> line.contains("-Djava.io.tmpdir=/tmp"));
    }
}
