package io.teachtrack.api.db;

import jakarta.enterprise.context.ApplicationScoped;
import org.jdbi.v3.core.Handle;


/**
 * The primary's GTID position, for reads that must include everything committed before they began because nobody can
 * say what their reader wrote (Redis down or off): such a read runs on a replica once that replica has applied the
 * position, instead of on the primary. One small query on the primary serves every such read that arrived before it
 * started, so a pod asks at most about once per round trip however many reads wait, and the read itself stays on
 * a replica. The GTID functions differ between the engines; the primary says which one it is.
 */
@ApplicationScoped
public class PrimaryPosition {

    /** How long a replica may take to apply the position before the read goes to the primary. */
    static final double CATCH_UP_SECONDS = 0.05;

    private enum Flavor {
        MYSQL("SELECT @@GLOBAL.gtid_executed", "SELECT WAIT_FOR_EXECUTED_GTID_SET(:position, :seconds)"),
        MARIADB("SELECT @@GLOBAL.gtid_binlog_pos", "SELECT MASTER_GTID_WAIT(:position, :seconds)");

        final String position;
        /** 0 once the replica has applied the position; 1 (MySQL) or -1 (MariaDB) when the wait ran out. */
        final String waitFor;

        Flavor(String position, String waitFor) {
            this.position = position;
            this.waitFor = waitFor;
        }
    }

    private final Databases databases;
    private final FetchWaves<String> waves = new FetchWaves<>();
    private volatile Flavor flavor;

    public PrimaryPosition(Databases databases) {
        this.databases = databases;
    }

    /**
     * A position the primary had at some moment after {@code arrivedAt} ({@link System#nanoTime()}): it holds every
     * transaction committed before then. Throws when the primary does not answer.
     */
    String after(long arrivedAt) {
        return waves.after(arrivedAt, () -> databases.primary().withHandle(handle -> handle.createQuery(flavor(handle).position)
                .mapTo(String.class).one()));
    }

    /** Whether this replica connection's server has applied the position, waiting for it a few milliseconds. */
    boolean appliedOn(Handle replica, String position) {
        Flavor known = flavor;
        if (known == null) {
            return false;
        }
        return replica.createQuery(known.waitFor).bind("position", position).bind("seconds", CATCH_UP_SECONDS)
                .mapTo(Integer.class).one() == 0;
    }

    private Flavor flavor(Handle primary) {
        Flavor known = flavor;
        if (known == null) {
            String version = primary.createQuery("SELECT VERSION()").mapTo(String.class).one();
            known = version.contains("MariaDB") ? Flavor.MARIADB : Flavor.MYSQL;
            flavor = known;
        }
        return known;
    }
}
