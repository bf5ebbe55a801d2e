package io.teachtrack.api.db;

import io.teachtrack.api.config.AppConfig;
import io.teachtrack.api.metrics.AppMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import java.time.Duration;

/**
 * Sends each read to a replica or the primary, and says why (counted in {@code teachtrack_db_routes_total}).
 * A read goes to the primary when there is no replica, when the data was just written, when the replica is down or
 * behind by more than {@code TEACHTRACK_READ_MAX_LAG_SECONDS}, or when the reader's own last write may not have
 * reached it. A replica that fails mid-read is retried on the primary: a replica outage never becomes an error.
 */
@ApplicationScoped
public class DatabaseRouter {

    /** Covers clock differences between pods when comparing a write's time with a heartbeat's. */
    private static final long CLOCK_MARGIN_MILLIS = 50;

    public enum Target { primary, replica }

    /** Where a read went and why; the reason is the metric label. */
    public record Route(Target target, String reason) {
        static Route primary(String reason) {
            return new Route(Target.primary, reason);
        }
    }

    private final Databases databases;
    private final ReplicaMonitor monitor;
    private final ReadYourWrites readYourWrites;
    private final AppMetrics metrics;
    private final Duration maxLag;
    private final boolean readYourWritesOn;

    public DatabaseRouter(Databases databases, ReplicaMonitor monitor, ReadYourWrites readYourWrites, AppMetrics metrics, AppConfig config) {
        this.databases = databases;
        this.monitor = monitor;
        this.readYourWrites = readYourWrites;
        this.metrics = metrics;
        this.maxLag = Duration.ofSeconds(config.readMaxLagSeconds());
        this.readYourWritesOn = config.readYourWrites();
    }

    /** A read for {@code userId} (null for system reads). */
    public <T> T read(Long userId, Freshness freshness, HandleCallback<T, RuntimeException> work) {
        Route route = decide(userId, freshness);
        if (route.target() == Target.replica) {
            try {
                T result = databases.replica().orElseThrow().withHandle(work);
                metrics.route(route.target().name(), route.reason());
                return result;
            } catch (RuntimeException e) {
                if (!SqlErrors.isConnectionFailure(e)) {
                    throw e;
                }
                monitor.markUnreachable();
                route = Route.primary("replica-error");
            }
        }
        metrics.route(route.target().name(), route.reason());
        return databases.primary().withHandle(work);
    }

    /** Writes, in one transaction on the primary. */
    public <T> T write(HandleCallback<T, RuntimeException> work) {
        metrics.route(Target.primary.name(), "write");
        return databases.primary().inTransaction(work);
    }

    public Jdbi primary() {
        return databases.primary();
    }

    Route decide(Long userId, Freshness freshness) {
        if (databases.replica().isEmpty()) {
            return Route.primary("no-replica");
        }
        if (freshness.primaryOnly() && readYourWritesOn) {
            return Route.primary("fresh-read");
        }
        ReplicaMonitor.Observation replica = monitor.current();
        if (!replica.reachable()) {
            return Route.primary("replica-down");
        }
        if (replica.lag().compareTo(maxLag) > 0) {
            return Route.primary("replica-lag");
        }
        if (readYourWritesOn && freshness.notBefore() > 0 && replica.appliedMark() < freshness.notBefore() + CLOCK_MARGIN_MILLIS) {
            return Route.primary("recent-write");
        }
        if (userId != null && readYourWritesOn) {
            ReadYourWrites.LastWrite last = readYourWrites.lastWrite(userId);
            boolean replicaHasIt = switch (last) {
                case ReadYourWrites.LastWrite.None none -> true;
                case ReadYourWrites.LastWrite.At at -> replica.appliedMark() >= at.writtenAt() + CLOCK_MARGIN_MILLIS;
                case ReadYourWrites.LastWrite.Unknown unknown -> false;
            };
            if (!replicaHasIt) {
                return Route.primary("read-your-writes");
            }
        }
        return new Route(Target.replica, "replica");
    }
}
