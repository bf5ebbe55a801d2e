package io.teachtrack.api.db;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The primary pool's verdict on a failed statement. When the server stopped being the primary (read-only, fenced, its
 * session killed) or stopped answering (a socket timeout: frozen, or cut off from its replicas so that commits wait),
 * every pooled connection leads to that same server: all of them are retired, not only the one that failed (idle ones
 * at once, busy ones when returned). Otherwise each idle connection would cost a later write its own timeout; the next
 * connection resolves the primary's Service again, which by then names the new primary.
 */
final class PrimaryConnectionEviction implements SQLExceptionOverride {

    private final AtomicReference<HikariDataSource> pool = new AtomicReference<>();

    /** The pool to retire; known only once it exists, after its configuration (which holds this verdict) is sealed. */
    void attach(HikariDataSource primaryPool) {
        pool.set(primaryPool);
    }

    // No @Override: inside this type the simple name means SQLExceptionOverride.Override, Hikari's verdict enum.
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
        if (!SqlErrors.isNotThePrimary(e) && !SqlErrors.isConnectionFailure(e)) {
            return SQLExceptionOverride.Override.CONTINUE_EVICT;
        }
        HikariDataSource primaryPool = pool.get();
        HikariPoolMXBean connections = primaryPool == null ? null : primaryPool.getHikariPoolMXBean();
        if (connections != null) {
            connections.softEvictConnections();
        }
        return SQLExceptionOverride.Override.MUST_EVICT;
    }
}
