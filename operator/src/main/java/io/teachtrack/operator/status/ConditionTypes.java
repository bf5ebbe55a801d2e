package io.teachtrack.operator.status;

import java.util.List;

/** The condition types of a TeachTrack (DESIGN.md §3). */
public final class ConditionTypes {

    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String DATABASE_READY = "DatabaseReady";
    public static final String REPLICATION_READY = "ReplicationReady";
    public static final String CACHE_READY = "CacheReady";
    public static final String API_READY = "ApiReady";
    public static final String WORKERS_READY = "WorkersReady";
    /** The MySQL volumes have the size the spec asks for; False never blocks Ready (the platform serves on). */
    public static final String VOLUMES_READY = "VolumesReady";

    /** Components in readiness order: what is listed first has to be ready before what follows. */
    public static final List<String> COMPONENTS = List.of(DATABASE_READY, REPLICATION_READY, CACHE_READY, API_READY, WORKERS_READY);

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private ConditionTypes() {
    }
}
