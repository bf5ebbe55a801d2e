package io.teachtrack.operator.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs last (its own Failsafe execution, after every other cluster test): nothing the tests ran tried to leave the
 * machine, and {@code cluster.sh down} puts the machine back as it was: no process, mount, network namespace,
 * bridge, nft table or pod cgroup is left, and every sysctl the node changed has its earlier value again.
 */
class ClusterTeardownIT {

    @Test
    void nothingLeftTheMachineAndDownLeavesNothingBehind() throws IOException {
        LocalCluster.client();
        assertThat(LocalCluster.packetsStoppedLeaving()).as("packets from the cluster's ranges stopped on their way out").isZero();
        Path record = ClusterAccess.cacheRoot().resolve("cluster").resolve(ClusterAccess.clusterName() + ".sysctl");
        List<String> before = Files.readAllLines(record);
        assertThat(before).as("the sysctls recorded before the cluster started").isNotEmpty();

        LocalCluster.down();

        assertThat(LocalCluster.leftovers()).as("left behind by cluster.sh down").isEmpty();
        for (String line : before) {
            String key = line.substring(0, line.indexOf('='));
            Path file = Path.of("/proc/sys", key.replace('.', '/'));
            // Line by line: Files.readString was seen to return "2" for nf_conntrack_max's "262144" (procfs reports size 0).
            assertThat(String.join("\n", Files.readAllLines(file)).strip()).as(key).isEqualTo(line.substring(line.indexOf('=') + 1));
        }
    }
}
