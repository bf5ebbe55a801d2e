package io.teachtrack.api.db;

import io.quarkus.runtime.ShutdownEvent;
import io.teachtrack.api.config.AppConfig;
import io.teachtrack.api.metrics.AppMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * Measures how far each replica is behind with a heartbeat row (the pt-heartbeat technique), which needs no
 * privilege beyond the app's own schema and works the same on MySQL and MariaDB. Pods write the primary's row at most
 * about once per interval between them (an older value is the only one overwritten); each pod reads every replica's
 * copy, each on its own pool. A replica's value is also a watermark: every write committed before that heartbeat is on
 * that replica. Also rediscovers the replicas ({@link ReplicaPools}) every discovery interval.
 */
@ApplicationScoped
public class ReplicaMonitor {

    private static final Logger LOG = Logger.getLogger(ReplicaMonitor.class);
    private static final int QUERY_TIMEOUT_SECONDS = 1;
    private static final String READ_MARK = "SELECT ts FROM heartbeat WHERE id = 1";
    /** Only an older value is overwritten: pods beating together write about once per interval between them. */
    private static final String BEAT = "UPDATE heartbeat SET ts = ? WHERE id = 1 AND ts <= ?";

    private final Databases databases;
    private final ReplicaPools replicas;
    private final Clock clock;
    private final Duration interval;
    private final Duration discoveryInterval;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("replica-monitor").daemon().factory());
    private final ExecutorService probes = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("replica-probe-", 0).factory());
    /** Epoch ms of the last discovery; zero: never. */
    private long discoveredAt;
    /** The newest heartbeat read on the primary: without a primary, a replica that has applied it is not behind. */
    private volatile long primaryMark;
    private final AtomicBoolean probingPrimary = new AtomicBoolean();
    private final AtomicBoolean discovering = new AtomicBoolean();
    /** When the primary last answered a probe (epoch ms). */
    private volatile long primarySeenAt;

    public ReplicaMonitor(Databases databases, ReplicaPools replicas, AppConfig config, AppMetrics metrics) {
        this.databases = databases;
        this.replicas = replicas;
        this.clock = Clock.systemUTC();
        this.interval = config.db().heartbeatInterval();
        this.discoveryInterval = config.db().replicaDiscoveryInterval();
        // No replica in reach: no lag to tell (NaN, which no alert threshold matches), and teachtrack_replicas_reachable 0 says why.
        metrics.gauge("teachtrack.replica.lag.seconds", "The largest lag of the replicas this pod reaches (NaN when it reaches none)",
                this::maxLagSeconds);
        // Probed only with replicas configured; without, nothing here knows (NaN).
        metrics.gauge("teachtrack.primary.reachable", "1 while the primary answers this pod's probes, 0 while it does not",
                () -> !replicas.configured() ? Double.NaN : primaryReachable() ? 1 : 0);
        metrics.gauge("teachtrack.replicas.reachable", "Replica servers this pod reaches and may read from",
                () -> usable().stream().filter(c -> c.observation().reachable()).count());
    }

    /** Each replica with its latest observation; one too old to trust counts as unreachable. */
    public List<ReplicaChoice.Candidate<Replica>> usable() {
        long now = clock.millis();
        Duration trustFor = interval.multipliedBy(4);
        return replicas.current().stream().map(r -> new ReplicaChoice.Candidate<>(r, r.observation(now, trustFor))).toList();
    }

    /** Whether the primary answered a recent probe (answered from memory: a readiness probe must not wait on a dead server). */
    public boolean primaryReachable() {
        return clock.millis() - primarySeenAt <= interval.multipliedBy(4).toMillis();
    }

    /** Whether any replica answered its last probe. */
    public boolean anyReachable() {
        return usable().stream().anyMatch(c -> c.observation().reachable());
    }

    /** A replica read failed at the connection level: no more reads there until its next good probe. */
    public void markUnreachable(Replica replica) {
        replica.markUnreachable(clock.millis());
    }

    void start(@Observes SchemaMigrations.SchemaReady ready) {
        if (replicas.configured()) {
            // Quarkus' scheduler does not go below one second; the lag budget is counted in seconds.
            ticker.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        ticker.shutdownNow();
        probes.shutdownNow();
    }

    void tick() {
        long now = clock.millis();
        if (now - discoveredAt >= discoveryInterval.toMillis() && discovering.compareAndSet(false, true)) {
            discoveredAt = now;
            // DNS may be slow or down: the lookup runs beside the probes, never in their way.
            probes.execute(() -> {
                try {
                    replicas.refresh();
                } finally {
                    discovering.set(false);
                }
            });
        }
        // Every server is probed on its own virtual thread: a frozen or dead one (the primary included) holds only its
        // own probe, and its last observation ages until it no longer counts.
        if (probingPrimary.compareAndSet(false, true)) {
            probes.execute(this::probePrimary);
        }
        // A replica that has applied the primary's last heartbeat has everything committed before it: lag zero. Without
        // a primary, that last value still tells which replicas have everything it acknowledged.
        long reference = primaryMark;
        for (Replica replica : replicas.current()) {
            if (replica.startProbe()) {
                probes.execute(() -> probe(replica, reference));
            }
        }
    }

    private void probePrimary() {
        try {
            long mark = readMark(databases.primaryDataSource());
            primaryMark = Math.max(primaryMark, mark);
            long now = clock.millis();
            primarySeenAt = now;
            if (now - mark >= interval.toMillis() / 2) {
                beat(now);
            }
        } catch (SQLException e) {
            LOG.debugf("primary heartbeat not read: %s", e.getMessage());
        } finally {
            probingPrimary.set(false);
        }
    }

    private void probe(Replica replica, long reference) {
        try {
            long mark = readMark(replica.dataSource());
            long seenAt = clock.millis();
            replica.observed(new Replica.Observation(true, mark, mark >= reference ? Duration.ZERO : Duration.ofMillis(Math.max(0, seenAt - mark)), seenAt));
        } catch (SQLException | RuntimeException e) {
            unreachable(replica, clock.millis(), e.getMessage());
        } finally {
            replica.endProbe();
        }
    }

    private void unreachable(Replica replica, long now, String why) {
        if (replica.observation(now, interval.multipliedBy(4)).reachable()) {
            LOG.warnf("replica %s unreachable, its reads go elsewhere: %s", replica.address(), why);
        }
        replica.markUnreachable(now);
    }

    private void beat(long now) {
        try (Connection connection = databases.primaryDataSource().getConnection();
             PreparedStatement update = connection.prepareStatement(BEAT)) {
            update.setLong(1, now);
            update.setLong(2, now - interval.toMillis() / 2);
            update.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            update.executeUpdate();
        } catch (SQLException e) {
            LOG.debugf("heartbeat not written: %s", e.getMessage());
        }
    }

    private double maxLagSeconds() {
        return usable().stream().filter(c -> c.observation().reachable())
                .mapToDouble(c -> c.observation().lag().toMillis() / 1000.0).max().orElse(Double.NaN);
    }

    /** Plain JDBC: probes run several times a second on every pod, and an idle pod should cost next to nothing. */
    private static long readMark(DataSource source) throws SQLException {
        try (Connection connection = source.getConnection(); PreparedStatement query = connection.prepareStatement(READ_MARK)) {
            query.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("the heartbeat row is missing");
                }
                return row.getLong(1);
            }
        }
    }
}
