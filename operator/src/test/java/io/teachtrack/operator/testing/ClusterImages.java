package io.teachtrack.operator.testing;

import io.teachtrack.testkit.Processes;

import java.time.Duration;
import java.util.List;

/**
 * The node runs the images of the code under test: the API and operator images are rebuilt from the jars this build
 * packaged (a no-op when unchanged) and whatever changed is imported into the node, once per test JVM.
 */
public final class ClusterImages {

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);
    private static boolean current;

    private ClusterImages() {
    }

    public static synchronized void current() {
        if (current) {
            return;
        }
        LocalCluster.kubeconfig();
        run(List.of(OperatorFiles.scripts().resolve("images.sh").toString(), "app"));
        run(List.of(OperatorFiles.scripts().resolve("cluster.sh").toString(), "import"));
        current = true;
    }

    /** Gives an image the node holds a second name, so a TeachTrack can roll out to it without pulling. */
    public static void tag(String source, String target) {
        current();
        run(List.of(OperatorFiles.scripts().resolve("cluster.sh").toString(), "tag", source, target));
    }

    private static void run(List<String> command) {
        Processes.run(command, OperatorFiles.root(), BUILD_TIMEOUT).requireSuccess(command);
    }
}
