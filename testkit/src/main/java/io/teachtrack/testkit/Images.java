package io.teachtrack.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The images {@code make images} built, unpacked in its cache ({@code <cache>/images/<name>/rootfs} and the image's
 * OCI config): tests run them with runc exactly as a node would. A missing image fails loudly.
 */
public final class Images {

    private Images() {
    }

    /**
     * The cache the scripts fill, found exactly as they find it: {@code $TEACHTRACK_CACHE}, else
     * {@code ${XDG_CACHE_HOME:-$HOME/.cache}/teachtrack}. {@code $HOME}, not Java's {@code user.home} (which comes
     * from the password database): the two differ whenever HOME is set for a build, and then the tests would read
     * another cluster's files.
     */
    public static Path cache() {
        String configured = System.getenv("TEACHTRACK_CACHE");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "teachtrack");
        }
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".cache", "teachtrack");
    }

    public static Path rootfs(String image) {
        Path rootfs = cache().resolve("images").resolve(image).resolve("rootfs");
        if (!Files.isDirectory(rootfs.resolve("usr"))) {
            throw new IllegalStateException("the image " + image + " is not built (" + rootfs + "): run 'make images'");
        }
        return rootfs;
    }

    /** The image's OCI config: User, Entrypoint, Cmd, Env, Labels. */
    public static JsonNode config(String image) {
        Path config = cache().resolve("images").resolve(image).resolve("config.json");
        try {
            return new ObjectMapper().readTree(config.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("the image " + image + " has no config (" + config + "): run 'make images'", e);
        }
    }

    /** Entrypoint followed by Cmd: what a container of the image runs when its pod names no command. */
    public static List<String> defaultCommand(String image) {
        JsonNode config = config(image);
        List<String> command = new ArrayList<>();
        config.path("Entrypoint").forEach(part -> command.add(part.asText()));
        config.path("Cmd").forEach(part -> command.add(part.asText()));
        return command;
    }

    /** The numeric uid of the image's USER ("999:999" or "185"). */
    public static int user(String image) {
        String user = config(image).path("User").asText("");
        String uid = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        if (!uid.matches("[0-9]+")) {
            throw new IllegalStateException("the image " + image + " has no numeric USER: '" + user + "'");
        }
        return Integer.parseInt(uid);
    }
}
