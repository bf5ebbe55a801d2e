package io.teachtrack.operator.testing;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static io.teachtrack.operator.testing.ClusterWaits.await;

/**
 * A container of a pod on the local node, frozen through its cgroup v1 freezer (what a stalled machine or a stopped VM
 * looks like from the network: connections are accepted by the kernel and never answered). The tests run on the node's
 * own machine as root, so they write the cgroup directly; {@link #close()} thaws it.
 */
public final class FrozenContainer implements AutoCloseable {

    private static final Path KUBEPODS = Path.of("/sys/fs/cgroup/freezer/kubepods");

    private final Path state;

    private FrozenContainer(Path state) {
        this.state = state;
    }

    /** Freezes the named container of the pod and waits until the kernel reports every task frozen. */
    public static FrozenContainer freeze(Pod pod, String container) {
        String id = pod.getStatus().getContainerStatuses().stream().filter(s -> s.getName().equals(container))
                .map(ContainerStatus::getContainerID).findFirst()
                .orElseThrow(() -> new IllegalStateException(pod.getMetadata().getName() + " has no running container " + container));
        Path cgroup = cgroupOf(pod.getMetadata().getUid(), id.substring(id.indexOf("://") + 3));
        FrozenContainer frozen = new FrozenContainer(cgroup.resolve("freezer.state"));
        frozen.write("FROZEN");
        await().until(() -> frozen.read().equals("FROZEN"));
        return frozen;
    }

    @Override
    public void close() {
        write("THAWED");
        await().until(() -> read().equals("THAWED"));
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
