package io.teachtrack.operator.testing.demo;

import io.teachtrack.operator.testing.LocalPlatform;
import sun.misc.Signal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The long-running half of {@code make demo} (started by {@code operator/scripts/demo.sh}): the operator and the
 * pod supervisor for one namespace of the local cluster, until SIGTERM ({@code make demo-down}), which stops the
 * operator and every pod process.
 *
 * <p>Arguments: the namespace, and the directory for the pods' data and logs.
 */
public final class DemoPlatform {

    /** The line demo.sh waits for. */
    public static final String READY_LINE = "[demo] platform ready";
    /** The operator's ServiceAccount token outlives a working day of demoing. */
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(24);

    private DemoPlatform() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: DemoPlatform <namespace> <pod data directory>");
            System.exit(2);
        }
        LocalPlatform platform = LocalPlatform.start(args[0], Path.of(args[1]), TOKEN_LIFETIME);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("[demo] stopping the operator and every pod process");
            platform.close();
            stopped.countDown();
        }));
        // The Helm chart is rendered by helm-java, a Go library loaded into this JVM whose runtime takes SIGTERM and
        // SIGINT over: give them back to the JVM, so that demo-down's SIGTERM runs the shutdown hook above.
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), received -> System.exit(0));
        }
        System.out.println(READY_LINE + ": operator log " + platform.operator().logFile());
        System.out.flush();
        stopped.await();
    }
}
