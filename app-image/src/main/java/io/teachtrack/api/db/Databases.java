package io.teachtrack.api.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.teachtrack.api.config.AppConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jdbi.v3.core.Jdbi;

import java.time.Duration;

/**
 * The primary's connection pool (writes, and reads inside write transactions), and the recipe for a replica's pool
 * ({@link ReplicaPools} keeps one per replica server). Pools start even when a server is down, so a pod can come up,
 * report itself not ready, and recover on its own.
 */
@ApplicationScoped
public class Databases {

    /**
     * How long a statement on the primary may wait for an answer (a commit waiting for its replica acknowledgement
     * included) before the request is answered 503. A frozen or cut-off primary costs a request about twice this: the
     * driver then closes the TLS connection, and the JDK waits as long again for the peer's close_notify. Schema
     * migrations raise it for their own connections.
     */
    private static final Duration PRIMARY_SOCKET_TIMEOUT = Duration.ofSeconds(10);
    /**
     * A replica that stops answering (frozen, or half-started) must not hold a request, or the pool's connection
     * creator, for long: slower replica reads fail and are retried on the primary.
     */
    private static final Duration REPLICA_SOCKET_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CONNECTION_LIFETIME = Duration.ofMinutes(30);

    private final AppConfig.Db db;
    private final MeterRegistry meters;
    private final HikariDataSource primaryPool;
    private final Jdbi primary;

    public Databases(AppConfig config, MeterRegistry meters) {
        this.db = config.db();
        this.meters = meters;
        PrimaryConnectionEviction eviction = new PrimaryConnectionEviction();
        primaryPool = pool("primary", db.primaryUrl(), db.connectTimeout(), PRIMARY_SOCKET_TIMEOUT, CONNECTION_LIFETIME, 2, eviction);
        eviction.attach(primaryPool);
        primary = Jdbis.create(primaryPool);
    }

    public Jdbi primary() {
        return primary;
    }

    public HikariDataSource primaryDataSource() {
        return primaryPool;
    }

    /** A pool for one replica server; reads give up on it quickly and fall back to the primary. */
    HikariDataSource replicaPool(String name, String url) {
        return pool(name, url, db.replicaConnectTimeout(), REPLICA_SOCKET_TIMEOUT, CONNECTION_LIFETIME, 1, null);
    }

    /** {@code eviction}: the verdict on failed statements, or null for Hikari's own (a replica's failures are its own business). */
    private HikariDataSource pool(String name, String url, Duration connectTimeout, Duration socketTimeout, Duration lifetime, int minIdle,
                                  PrimaryConnectionEviction eviction) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setJdbcUrl(url);
        hikari.setUsername(db.user());
        hikari.setPassword(db.password());
        hikari.setMaximumPoolSize(db.poolSize());
        hikari.setMinimumIdle(Math.min(minIdle, db.poolSize()));
        hikari.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
        hikari.setValidationTimeout(Math.max(250, connectTimeout.toMillis()));
        hikari.setInitializationFailTimeout(-1);
        hikari.setMaxLifetime(lifetime.toMillis());
        hikari.setMetricRegistry(meters);
        if (eviction != null) {
            hikari.setExceptionOverride(eviction);
        }
        hikari.addDataSourceProperty("connectTimeout", String.valueOf(connectTimeout.toMillis()));
        hikari.addDataSourceProperty("socketTimeout", String.valueOf(socketTimeout.toMillis()));
        hikari.addDataSourceProperty("connectionTimeZone", "UTC");
        hikari.addDataSourceProperty("allowPublicKeyRetrieval", "true");
        // Client-side prepared statements (the driver binds and escapes every parameter): one round trip per
        // statement instead of prepare + execute, and the server's logs show the real statements.
        hikari.addDataSourceProperty("useServerPrepStmts", "false");
        // Answer autocommit / isolation / read-only questions from the driver's own state instead of asking the server.
        hikari.addDataSourceProperty("useLocalSessionState", "true");
        hikari.addDataSourceProperty("useLocalTransactionState", "true");
        hikari.addDataSourceProperty("cacheServerConfiguration", "true");
        hikari.addDataSourceProperty("rewriteBatchedStatements", "true");
        return new HikariDataSource(hikari);
    }

    @PreDestroy
    void close() {
        primaryPool.close();
    }
}
