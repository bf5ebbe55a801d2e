package io.teachtrack.operator.status;

import io.teachtrack.operator.status.TransitionEvents.EventSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one Event per kind of transition per TeachTrack per {@link #WINDOW}: a platform that flips between Ready and
 * Degraded (a replica's lag at the limit, a pod restarting in a loop) fills no one's event list. The status itself is
 * never throttled, and neither are the events that record a decision of the operator's (failovers, switchovers).
 */
public final class EventThrottle {

    public static final Duration WINDOW = Duration.ofMinutes(1);
    static final Set<String> THROTTLED = Set.of("Degraded", "Recovered", "Failed", "Provisioned", "Provisioning", "Scaled", "VolumeExpansionRefused");
    /** Beyond this many remembered transitions, those older than the window are forgotten (deleted TeachTracks). */
    private static final int PRUNE_ABOVE = 10_000;

    private final Map<String, Instant> lastRecorded = new ConcurrentHashMap<>();

    /** Whether {@code event} on the TeachTrack {@code uid} may be recorded at {@code now}; if so, it counts from now. */
    public boolean admit(String uid, EventSpec event, Instant now) {
        if (!THROTTLED.contains(event.reason())) {
            return true;
        }
        if (lastRecorded.size() > PRUNE_ABOVE) {
            lastRecorded.values().removeIf(at -> at.plus(WINDOW).isBefore(now));
        }
        boolean[] admitted = new boolean[1];
        lastRecorded.compute(uid + "/" + event.reason(), (key, last) -> {
            admitted[0] = last == null || !now.isBefore(last.plus(WINDOW));
            return admitted[0] ? now : last;
        });
        return admitted[0];
    }
}
