package io.teachtrack.api.db;

import io.quarkus.runtime.ShutdownEvent;
import io.teachtrack.api.config.AppConfig;
import io.teachtrack.api.metrics.AppMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Measures how far the replicas are behind with a heartbeat row (the pt-heartbeat technique), which needs no
 * privilege beyond the app's own schema and works the same on MySQL and MariaDB. Pods write the primary's row at most
 * about once per interval between them (an older value is the only one overwritten); each pod reads the replica's
 * copy. The replica's value is also a watermark: every write committed before that heartbeat is on the replica.
 */
@ApplicationScoped
public class ReplicaMonitor {

    private static final Logger LOG = Logger.getLogger(ReplicaMonitor.class);
    private static final int QUERY_TIMEOUT_SECONDS = 1;

    /** What the last probe saw. {@code appliedMark} is the newest heartbeat (epoch ms) the replica has applied. */
    public record Observation(boolean reachable, long appliedMark, Duration lag, long observedAt) {
        static final Observation NONE = new Observation(false, 0, Duration.ZERO, 0);
    }

    private final Databases databases;
    private final Clock clock;
    private final Duration interval;
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("replica-monitor").daemon().factory());
    private volatile Observation last = Observation.NONE;

    public ReplicaMonitor(Databases databases, AppConfig config, AppMetrics metrics) {
        this.databases = databases;
        this.clock = Clock.systemUTC();
        this.interval = config.db().heartbeatInterval();
        metrics.gauge("teachtrack.replica.lag.seconds", "Replica lag seen by this pod (-1 when the replica is unreachable)",
                () -> last.reachable() ? last.lag().toMillis() / 1000.0 : -1);
    }

    /** The latest observation, or an unreachable one when it is too old to trust. */
    public Observation current() {
        Observation seen = last;
        if (clock.millis() - seen.observedAt() > interval.multipliedBy(4).toMillis()) {
            return new Observation(false, seen.appliedMark(), seen.lag(), seen.observedAt());
        }
        return seen;
    }

    /** A replica read failed at the connection level: do not send more reads there until the next good probe. */
    public void markUnreachable() {
        Observation seen = last;
        last = new Observation(false, seen.appliedMark(), seen.lag(), clock.millis());
    }

    void start(@Observes SchemaMigrations.SchemaReady ready) {
        if (databases.replica().isPresent()) {
            // Quarkus' scheduler does not go below one second; the lag budget is counted in seconds.
            prober.scheduleWithFixedDelay(this::probe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        prober.shutdownNow();
    }

    void probe() {
        long now = clock.millis();
        long primaryMark;
        try {
            // Read the replica first: comparing it with the primary before this beat is what gives a lag of zero
            // to a replica that is fully caught up.
            Long replicaMark = readMark(databases.replica().get());
            primaryMark = readMark(databases.primary());
            last = new Observation(true, replicaMark, replicaMark >= primaryMark ? Duration.ZERO : Duration.ofMillis(Math.max(0, now - replicaMark)), now);
        } catch (RuntimeException e) {
            if (last.reachable()) {
                LOG.warnf("replica unreachable, reads go to the primary: %s", e.getMessage());
            }
            last = new Observation(false, last.appliedMark(), last.lag(), now);
        }
        beat(now);
    }

    private void beat(long now) {
        try {
            databases.primary().useHandle(handle -> handle.createUpdate("UPDATE heartbeat SET ts = :now WHERE id = 1 AND ts <= :stale")
                    .bind("now", now)
                    .bind("stale", now - interval.toMillis() / 2)
                    .execute());
        } catch (RuntimeException e) {
            LOG.debugf("heartbeat not written: %s", e.getMessage());
        }
    }

    private static Long readMark(Jdbi jdbi) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT ts FROM heartbeat WHERE id = 1")
                .setQueryTimeout(QUERY_TIMEOUT_SECONDS)
                .mapTo(Long.class)
                .one());
    }
}
