package io.teachtrack.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * One image run as a container by runc, the runtime a node uses: the image's root file system mounted read-only,
 * a numeric non-root user, no capabilities, no new privileges, its own pid/mount/ipc/uts namespaces and the
 * host's network (servers bind to loopback addresses). Volumes are bind mounts or tmpfs, as a pod's would be.
 * Containers this JVM started are removed when it exits; those of a JVM that died are removed by the next one.
 */
public final class Container implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path STATE_ROOT = Path.of("/run/teachtrack-tests");
    private static final Path STATE = STATE_ROOT.resolve(Long.toString(ProcessHandle.current().pid()));
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Set<Container> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Duration RUNC_TIMEOUT = Duration.ofSeconds(60);

    static {
        removeContainersOfDeadJvms();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Container::remove), "remove-containers"));
    }

    /** A bind mount of a host directory or file, or a tmpfs owned by the container's user. */
    public record Mount(String destination, Path source, boolean readOnly) {
        public static Mount bind(String destination, Path source) {
            return new Mount(destination, source, false);
        }

        public static Mount readOnly(String destination, Path source) {
            return new Mount(destination, source, true);
        }

        public static Mount tmpfs(String destination) {
            return new Mount(destination, null, false);
        }
    }

    private final String id;
    private final Path rootfs;
    private final int uid;
    private final List<String> args;
    private final Map<String, String> env;
    private final List<Mount> mounts;
    private final String hostname;
    private final Path log;
    private Path bundle;

    public Container(String name, String image, List<String> args, Map<String, String> env, List<Mount> mounts, Path log) {
        // Unique across class loaders too: Quarkus test profiles load this class again, with a new sequence.
        this.id = "tt-" + name.replaceAll("[^A-Za-z0-9_.-]", "-") + "-" + SEQUENCE.incrementAndGet() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        this.rootfs = Images.rootfs(image);
        this.uid = Images.user(image);
        this.args = List.copyOf(args);
        this.env = Map.copyOf(env);
        this.mounts = List.copyOf(mounts);
        this.hostname = env.getOrDefault("HOSTNAME", name);
        this.log = log;
    }

    /** Creates and starts the container; its output is appended to the log. */
    public Container start() {
        if (bundle != null) {
            throw new IllegalStateException(id + " is already started");
        }
        try {
            Files.createDirectories(STATE);
            bundle = Files.createTempDirectory("tt-bundle-");
            Processes.check(List.of("runc", "spec", "--bundle", bundle.toString()), RUNC_TIMEOUT);
            Path config = bundle.resolve("config.json");
            JSON.writerWithDefaultPrettyPrinter().writeValue(config.toFile(), spec((ObjectNode) JSON.readTree(config.toFile())));
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RUNNING.add(this);
        // -d: runc returns once the process runs; the container keeps writing to the log it inherited.
        Process runc = Processes.start(List.of("runc", "--root", STATE.toString(), "run", "-d", "--bundle", bundle.toString(), id), log);
        try {
            if (!runc.waitFor(RUNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || runc.exitValue() != 0) {
                throw new IllegalStateException("runc could not start " + id + " (exit " + (runc.isAlive() ? "none" : runc.exitValue())
                        + "); see " + log + ":\n" + tail(20));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return this;
    }

    private ObjectNode spec(ObjectNode spec) {
        ObjectNode process = (ObjectNode) spec.get("process");
        process.put("terminal", false);
        process.putObject("user").put("uid", uid).put("gid", uid);
        process.set("args", strings(args));
        List<String> environment = new ArrayList<>(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        env.forEach((key, value) -> environment.add(key + "=" + value));
        process.set("env", strings(environment));
        process.put("cwd", "/");
        ObjectNode capabilities = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted", "ambient")) {
            capabilities.putArray(set);
        }
        process.put("noNewPrivileges", true);
        // The host's limit: root here may not raise it (no CAP_SYS_RESOURCE), and a database wants more than 1024.
        long files = openFilesLimit();
        process.putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE").put("hard", files).put("soft", files);
        spec.putObject("root").put("path", rootfs.toString()).put("readonly", true);
        spec.put("hostname", hostname);
        ArrayNode specMounts = (ArrayNode) spec.get("mounts");
        for (Mount mount : mounts) {
            ObjectNode node = specMounts.addObject().put("destination", mount.destination());
            if (mount.source() == null) {
                node.put("type", "tmpfs").put("source", "tmpfs")
                        .set("options", strings(List.of("nosuid", "nodev", "mode=0770", "uid=" + uid, "gid=" + uid)));
            } else {
                node.put("type", "bind").put("source", mount.source().toString())
                        .set("options", strings(List.of("rbind", mount.readOnly() ? "ro" : "rw")));
            }
        }
        ArrayNode namespaces = JSON.createArrayNode();
        spec.get("linux").get("namespaces").forEach(ns -> {
            if (!"network".equals(ns.get("type").asText())) {
                namespaces.add(ns);
            }
        });
        ((ObjectNode) spec.get("linux")).set("namespaces", namespaces);
        return spec;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static long openFilesLimit() {
        try {
            Matcher matcher = Pattern.compile("Max open files\\s+\\d+\\s+(\\d+)").matcher(Files.readString(Path.of("/proc/self/limits")));
            return matcher.find() ? Long.parseLong(matcher.group(1)) : 1024;
        } catch (IOException e) {
            return 1024;
        }
    }

    /** "running", "paused", "stopped", or "absent" once deleted. */
    public String status() {
        return state().map(node -> node.path("status").asText()).orElse("absent");
    }

    public boolean isRunning() {
        String status = status();
        return "running".equals(status) || "paused".equals(status);
    }

    /** The container's first process as the host sees it (for /proc checks). */
    public long pid() {
        return state().orElseThrow(() -> new IllegalStateException(id + " does not exist")).path("pid").asLong();
    }

    /** runc's view of the container, empty once it is deleted. */
    private Optional<JsonNode> state() {
        Processes.Result state = runc("state", id);
        if (state.exitCode() != 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(state.stdout()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One runc command against this JVM's state directory. */
    private static Processes.Result runc(String... args) {
        return runc(STATE, args);
    }

    private static Processes.Result runc(Path stateRoot, String... args) {
        List<String> command = new ArrayList<>(List.of("runc", "--root", stateRoot.toString()));
        command.addAll(List.of(args));
        return Processes.run(command, Path.of("/"), RUNC_TIMEOUT);
    }

    /** Freezes every process of the container (cgroup freezer), as a stalled node would. */
    public void freeze() {
        runc("pause", id).requireSuccess(List.of("runc", "pause", id));
    }

    public void thaw() {
        runc("resume", id).requireSuccess(List.of("runc", "resume", id));
    }

    /** Runs a command inside the running container, as its user. */
    public Processes.Result exec(List<String> command) {
        List<String> args = new ArrayList<>(List.of("exec", "--user", uid + ":" + uid, id));
        args.addAll(command);
        return runc(args.toArray(String[]::new));
    }

    /** SIGKILL to every process, as a crashed container; the container is then deleted (its volumes stay). */
    public void kill() {
        if (bundle == null) {
            return;
        }
        if ("paused".equals(status())) {
            thaw();
        }
        runc("kill", "--all", id, "KILL");
        await().atMost(RUNC_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> !"running".equals(status()));
        remove();
    }

    /** SIGTERM to the first process, waiting for it to stop, then removal (SIGKILL past the timeout). */
    public void stop(Duration timeout) {
        if (bundle == null) {
            return;
        }
        runc("kill", id, "TERM");
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> !isRunning());
        } catch (RuntimeException e) {
            // did not stop in time: killed below
        }
        kill();
    }

    private void remove() {
        runc("delete", "--force", id);
        RUNNING.remove(this);
        if (bundle != null) {
            Processes.run(List.of("rm", "-rf", bundle.toString()), Path.of("/"), RUNC_TIMEOUT);
            bundle = null;
        }
    }

    public String id() {
        return id;
    }

    public Path log() {
        return log;
    }

    public String tail(int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no output)";
            }
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static void removeContainersOfDeadJvms() {
        try (var dirs = Files.list(STATE_ROOT)) {
            for (Path dir : dirs.toList()) {
                String name = dir.getFileName().toString();
                if (!name.matches("[0-9]+") || ProcessHandle.of(Long.parseLong(name)).isPresent()) {
                    continue;
                }
                Processes.Result list = runc(dir, "list", "-q");
                for (String id : list.stdout().split("\\s+")) {
                    if (!id.isBlank()) {
                        runc(dir, "delete", "--force", id);
                    }
                }
                Processes.run(List.of("rm", "-rf", dir.toString()), Path.of("/"), RUNC_TIMEOUT);
            }
        } catch (IOException e) {
            // no state root yet: nothing to clean
        }
    }
}
