package io.teachtrack.operator.metrics;

import io.micrometer.core.instrument.Tags;
import io.teachtrack.operator.api.v1alpha1.MysqlStatus;
import io.teachtrack.operator.api.v1alpha1.Phase;
import io.teachtrack.operator.api.v1alpha1.ReplicaStatus;
import io.teachtrack.operator.api.v1alpha1.SemiSyncStatus;
import io.teachtrack.operator.api.v1alpha1.TeachTrackStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The per-TeachTrack gauge samples of what the operator last published, computed without a registry. A value that is
 * not known has no sample (a replica out of reach has a state sample {@code Unreachable} and no lag), never a made-up
 * number such as -1 that an alert or a dashboard would read as a measurement.
 */
public final class PlatformGauges {

    /** A platform as last seen: its published status, and when a reconcile of it last succeeded (null: not yet). */
    public record Platform(String namespace, String name, TeachTrackStatus status, Instant lastSuccess) {
    }

    public record Sample(Tags tags, double value) {
    }

    public enum Gauge {
        /** 1 for the phase the TeachTrack is in, 0 for the others. */
        PHASE("teachtrack.platform.phase", "The TeachTrack's phase: 1 for the current one, 0 for the others"),
        /** When a reconcile of the TeachTrack last succeeded. */
        LAST_SUCCESS("teachtrack.platform.last.successful.reconcile.timestamp.seconds",
                "When a reconcile of the TeachTrack last succeeded (Unix time, seconds)"),
        /** 1 per MySQL pod with its role: primary, replica (serving reads) or none. */
        ROLE("teachtrack.mysql.instance.role", "The role of each MySQL pod: primary, replica (serving reads) or none (1)"),
        /** 1 per replica with its replication state. */
        STATE("teachtrack.mysql.replica.state", "The replication state of each replica (1), Unreachable when it did not answer"),
        /** Per replica whose lag is known. */
        LAG("teachtrack.mysql.replica.lag.seconds", "Seconds each replica is behind the primary, while it is known"),
        /** 1 while the primary's semi-synchronous replication is active (acknowledged commits), else 0. */
        SEMI_SYNC_ACTIVE("teachtrack.mysql.semisync.active", "1 while the primary waits for replica acknowledgements"),
        /** Replicas acknowledging the primary's commits. */
        SEMI_SYNC_REPLICAS("teachtrack.mysql.semisync.connected.replicas", "Semi-synchronous replicas connected to the primary");

        private final String meter;
        private final String description;

        Gauge(String meter, String description) {
            this.meter = meter;
            this.description = description;
        }

        public String meter() {
            return meter;
        }

        public String description() {
            return description;
        }
    }

    static final String PRIMARY = "primary";
    static final String NO_ROLE = "none";

    private PlatformGauges() {
    }

    public static Map<Gauge, List<Sample>> of(Iterable<Platform> platforms) {
        Map<Gauge, List<Sample>> samples = new EnumMap<>(Gauge.class);
        for (Gauge gauge : Gauge.values()) {
            samples.put(gauge, new ArrayList<>());
        }
        for (Platform platform : platforms) {
            Tags platformTags = Tags.of("namespace", platform.namespace(), "name", platform.name());
            TeachTrackStatus status = platform.status();
            Phase current = status == null ? null : status.getPhase();
            if (current != null) {
                for (Phase phase : Phase.values()) {
                    samples.get(Gauge.PHASE).add(new Sample(platformTags.and("phase", phase.name()), phase == current ? 1 : 0));
                }
            }
            if (platform.lastSuccess() != null) {
                samples.get(Gauge.LAST_SUCCESS).add(new Sample(platformTags, platform.lastSuccess().toEpochMilli() / 1000.0));
            }
            MysqlStatus mysql = status == null ? null : status.getMysql();
            if (mysql != null) {
                mysqlSamples(platformTags, mysql, samples);
            }
        }
        return samples;
    }

    private static void mysqlSamples(Tags platformTags, MysqlStatus mysql, Map<Gauge, List<Sample>> samples) {
        if (mysql.getPrimary() != null) {
            samples.get(Gauge.ROLE).add(new Sample(platformTags.and("pod", mysql.getPrimary(), "role", PRIMARY), 1));
        }
        for (ReplicaStatus replica : mysql.getReplicas()) {
            Tags pod = platformTags.and("pod", replica.getName());
            samples.get(Gauge.ROLE).add(new Sample(pod.and("role", replica.getRole() == null ? NO_ROLE : replica.getRole()), 1));
            if (replica.getState() != null) {
                samples.get(Gauge.STATE).add(new Sample(pod.and("state", replica.getState()), 1));
            }
            if (replica.getLagSeconds() != null) {
                samples.get(Gauge.LAG).add(new Sample(pod, replica.getLagSeconds()));
            }
        }
        SemiSyncStatus semiSync = mysql.getSemiSync();
        if (semiSync != null && semiSync.getActive() != null) {
            samples.get(Gauge.SEMI_SYNC_ACTIVE).add(new Sample(platformTags, semiSync.getActive() ? 1 : 0));
        }
        if (semiSync != null && semiSync.getConnectedReplicas() != null) {
            samples.get(Gauge.SEMI_SYNC_REPLICAS).add(new Sample(platformTags, semiSync.getConnectedReplicas()));
        }
    }
}
