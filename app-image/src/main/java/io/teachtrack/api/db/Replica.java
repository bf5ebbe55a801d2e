package io.teachtrack.api.db;

import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/** One replica server: its address, its own pool, and what the last probe of it saw. */
public final class Replica implements AutoCloseable {

    /** What a probe saw. {@code appliedMark} is the newest heartbeat (epoch ms) the replica has applied. */
    public record Observation(boolean reachable, long appliedMark, Duration lag, long observedAt) {
        static final Observation NONE = new Observation(false, 0, Duration.ZERO, 0);

        Observation unreachableAt(long now) {
            return new Observation(false, appliedMark, lag, now);
        }
    }

    private final String address;
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile Observation last = Observation.NONE;

    Replica(String address, HikariDataSource pool) {
        this.address = address;
        this.pool = pool;
        this.jdbi = Jdbis.create(pool);
    }

    /** {@code ip:port}, or the host as the URL names it. */
    public String address() {
        return address;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    DataSource dataSource() {
        return pool;
    }

    /** The latest observation, or an unreachable one when it is older than {@code trustFor}. */
    public Observation observation(long now, Duration trustFor) {
        Observation seen = last;
        return now - seen.observedAt() > trustFor.toMillis() ? seen.unreachableAt(seen.observedAt()) : seen;
    }

    void observed(Observation observation) {
        last = observation;
    }

    /** A read failed at the connection level: no more reads here until the next good probe. */
    void markUnreachable(long now) {
        last = last.unreachableAt(now);
    }

    /** At most one probe per server at a time: a frozen server holds its own probe, not the others'. */
    boolean startProbe() {
        return probing.compareAndSet(false, true);
    }

    void endProbe() {
        probing.set(false);
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return address;
    }
}
