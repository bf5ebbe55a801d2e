package io.teachtrack.operator.testing;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.teachtrack.testkit.Processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.teachtrack.operator.testing.ClusterWaits.await;

/**
 * A running container of a pod on the local node, found through its cgroup v1 freezer directory: the faults the tests
 * inject into it. The tests run on the node's own machine as root, so they act on the kernel directly, as a crash, a
 * stalled machine or a broken network would, without the kubelet's knowledge.
 */
public final class NodeContainer {

    private static final Path KUBEPODS = Path.of("/sys/fs/cgroup/freezer/kubepods");
    private static final Duration COMMAND = Duration.ofSeconds(20);
    private static final String PARTITION_TABLE = "teachtrack_partition";

    private final String description;
    private final Path cgroup;

    private NodeContainer(String description, Path cgroup) {
        this.description = description;
        this.cgroup = cgroup;
    }

    /** The named container of the pod, as it runs now. */
    public static NodeContainer of(Pod pod, String container) {
        String id = pod.getStatus().getContainerStatuses().stream().filter(s -> s.getName().equals(container) && s.getState().getRunning() != null)
                .map(ContainerStatus::getContainerID).findFirst()
                .orElseThrow(() -> new IllegalStateException(pod.getMetadata().getName() + " has no running container " + container));
        String where = pod.getMetadata().getName() + "/" + container;
        return new NodeContainer(where, cgroupOf(pod.getMetadata().getUid(), id.substring(id.indexOf("://") + 3)));
    }

    /** SIGKILL to every process of the container, as an out-of-memory kill or a crash: the kubelet restarts it. */
    public void kill() {
        List<String> pids = pids();
        if (pids.isEmpty()) {
            throw new IllegalStateException(description + " has no process to kill");
        }
        Processes.check(Stream.concat(Stream.of("kill", "-KILL"), pids.stream()).toList(), COMMAND);
    }

    /**
     * Freezes every task through the cgroup freezer (connections are accepted by the kernel and never answered) and
     * waits until the kernel reports them frozen; {@link Frozen#close()} thaws them.
     */
    public Frozen freeze() {
        Frozen frozen = new Frozen(cgroup.resolve("freezer.state"));
        frozen.write("FROZEN");
        await().until(() -> frozen.read().equals("FROZEN"));
        return frozen;
    }

    /**
     * Cuts the pod off from the given addresses in both directions (packets dropped, as by a broken link, so
     * connections hang rather than fail) with an nftables table in the pod's network namespace; everyone else still
     * reaches it. {@link Partition#close()} heals it.
     */
    public Partition cutOffFrom(Collection<String> addresses) {
        String pid = pids().stream().findFirst().orElseThrow(() -> new IllegalStateException(description + " has no process"));
        String set = addresses.stream().collect(Collectors.joining(", ", "{ ", " }"));
        String rules = """
                table inet %1$s {
                  chain in { type filter hook input priority -10; policy accept; ip saddr %2$s drop; }
                  chain out { type filter hook output priority -10; policy accept; ip daddr %2$s drop; }
                }
                """.formatted(PARTITION_TABLE, set);
        nft(pid, rules);
        return () -> nft(pid, "delete table inet " + PARTITION_TABLE + "\n");
    }

    /** A frozen container; closing thaws it. */
    public static final class Frozen implements AutoCloseable {
        private final Path state;

        private Frozen(Path state) {
            this.state = state;
        }

        @Override
        public void close() {
            write("THAWED");
            await().until(() -> read().equals("THAWED"));
        }

        private void write(String value) {
            try {
                Files.writeString(state, value);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + value + " to " + state, e);
            }
        }

        private String read() {
            try {
                return Files.readString(state).strip();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A network cut; closing heals it. */
    @FunctionalInterface
    public interface Partition extends AutoCloseable {
        @Override
        void close();
    }

    private List<String> pids() {
        try {
            return Files.readAllLines(cgroup.resolve("cgroup.procs")).stream().map(String::strip).filter(line -> !line.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the processes of " + description, e);
        }
    }

    /** Runs an nftables script inside the network namespace of {@code pid} (the pod's, shared by its containers). */
    private static void nft(String pid, String script) {
        try {
            Path file = Files.createTempFile("teachtrack-partition", ".nft");
            try {
                Files.writeString(file, script);
                Processes.check(List.of("nsenter", "--target", pid, "--net", "nft", "-f", file.toString()), COMMAND);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kubepods/[qos/]pod<uid>/<container id>: the QoS level is not part of what the test knows, so look for it. */
    private static Path cgroupOf(String podUid, String containerId) {
        String podDir = "pod" + podUid;
        try (Stream<Path> dirs = Files.find(KUBEPODS, 3, (path, attributes) -> attributes.isDirectory()
                && path.getFileName().toString().equals(containerId) && path.getParent().getFileName().toString().equals(podDir))) {
            return dirs.findFirst().orElseThrow(() -> new IllegalStateException(
                    "no freezer cgroup " + podDir + "/" + containerId + " under " + KUBEPODS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
