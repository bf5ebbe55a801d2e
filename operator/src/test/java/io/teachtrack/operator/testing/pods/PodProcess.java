package io.teachtrack.operator.testing.pods;

/** The real process standing in for one pod's container, as the supervisor's fake kubelet sees it. */
public interface PodProcess {

    boolean isAlive();

    /** The pod's readiness probe, run against the process (short timeouts: the kubelet loop calls it every second). */
    boolean probeReady();

    /** SIGKILL, as a crashed container; the kubelet loop may start it again. */
    void kill();

    /** Starts the same container again after a crash (same pod, same IP, same data). */
    void restart();
}
