package io.teachtrack.api.db;

import io.teachtrack.api.config.AppConfig;
import io.teachtrack.api.metrics.AppMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends each read to a replica or the primary, and says why (counted in {@code teachtrack_db_routes_total}).
 * A read goes to a replica that answers, is within {@code TEACHTRACK_READ_MAX_LAG_SECONDS}, and has applied the
 * reader's own last write, each judged on its own heartbeat ({@link ReplicaChoice}); reads rotate over the replicas
 * that qualify, and go to the primary when none does. A replica that fails mid-read is retried on the primary: a
 * replica outage never becomes an error. When the reader's last write is unknown (Redis down or off), the read runs on
 * a replica that has applied the primary's position taken after the read began ({@link PrimaryPosition}), else on
 * the primary: read-your-writes holds, and the primary answers one small query per wave of such reads, not the reads.
 */
@ApplicationScoped
public class DatabaseRouter {

    public enum Target { primary, replica }

    /**
     * Where a read went and why; the reason is the metric label. {@code replica} is set for replica reads;
     * {@code catchUp}: the replica must first have applied the primary's current position.
     */
    public record Route(Target target, String reason, Replica replica, boolean catchUp) {
        static Route primary(String reason) {
            return new Route(Target.primary, reason, null, false);
        }
    }

    private final Databases databases;
    private final ReplicaPools replicas;
    private final ReplicaMonitor monitor;
    private final ReadYourWrites readYourWrites;
    private final PrimaryPosition position;
    private final AppMetrics metrics;
    private final Duration maxLag;
    private final boolean readYourWritesOn;
    private final AtomicInteger rotation = new AtomicInteger();

    public DatabaseRouter(Databases databases, ReplicaPools replicas, ReplicaMonitor monitor, ReadYourWrites readYourWrites,
                          PrimaryPosition position, AppMetrics metrics, AppConfig config) {
        this.databases = databases;
        this.replicas = replicas;
        this.monitor = monitor;
        this.readYourWrites = readYourWrites;
        this.position = position;
        this.metrics = metrics;
        this.maxLag = Duration.ofSeconds(config.readMaxLagSeconds());
        this.readYourWritesOn = config.readYourWrites();
    }

    /** A read for {@code userId} (null for system reads). */
    public <T> T read(Long userId, Freshness freshness, HandleCallback<T, RuntimeException> work) {
        long arrivedAt = System.nanoTime();
        Route route = decide(userId, freshness);
        String mustHave = null;
        if (route.catchUp()) {
            try {
                mustHave = position.after(arrivedAt);
            } catch (RuntimeException e) {
                route = Route.primary("read-your-writes");
            }
        }
        if (route.target() == Target.replica) {
            try {
                String required = mustHave;
                ReplicaRead<T> read = route.replica().jdbi().withHandle(handle -> required != null && !position.appliedOn(handle, required)
                        ? new ReplicaRead<T>(null, true) : new ReplicaRead<>(work.withHandle(handle), false));
                if (!read.behind()) {
                    metrics.route(route.target().name(), route.reason());
                    return read.value();
                }
                route = Route.primary("replica-behind");
            } catch (RuntimeException e) {
                if (!SqlErrors.isConnectionFailure(e)) {
                    throw e;
                }
                monitor.markUnreachable(route.replica());
                route = Route.primary("replica-error");
            }
        }
        metrics.route(route.target().name(), route.reason());
        return databases.primary().withHandle(work);
    }

    /** A replica's answer, or none because it had not applied the position the read needs. */
    private record ReplicaRead<T>(T value, boolean behind) {
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
        if (!replicas.configured()) {
            return Route.primary("no-replica");
        }
        if (freshness.primaryOnly() && readYourWritesOn) {
            return Route.primary("fresh-read");
        }
        long notBefore = readYourWritesOn ? freshness.notBefore() : 0;
        ReplicaChoice.LastWriteLookup lastWrite = userId != null && readYourWritesOn
                ? () -> readYourWrites.lastWrite(userId)
                : ReplicaChoice.LastWriteLookup.NONE;
        ReplicaChoice.Choice<Replica> choice = ReplicaChoice.choose(monitor.usable(), maxLag, notBefore, lastWrite,
                rotation.getAndIncrement());
        if (choice.replica() == null) {
            return Route.primary(choice.primaryReason());
        }
        boolean catchUp = readYourWritesOn && (choice.catchUp() || freshness.everythingCommitted());
        return new Route(Target.replica, catchUp ? "caught-up" : "replica", choice.replica(), catchUp);
    }
}
