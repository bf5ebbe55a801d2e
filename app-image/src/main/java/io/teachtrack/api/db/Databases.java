package io.teachtrack.api.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.teachtrack.api.config.AppConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jdbi.v3.core.Jdbi;

import java.time.Duration;
import java.util.Optional;

/**
 * The two connection pools: the primary (writes, and reads inside write transactions) and, when the operator gives
 * a replica URL, the replicas (reads). Pools start even when a server is down, so a pod can come up, report itself
 * not ready, and recover on its own.
 */
@ApplicationScoped
public class Databases {

    private static final Duration PRIMARY_SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /**
     * A replica that stops answering (frozen, or half-started) must not hold a request, or the pool's connection
     * creator, for long: slower replica reads fail and are retried on the primary.
     */
    private static final Duration REPLICA_SOCKET_TIMEOUT = Duration.ofSeconds(5);
    /**
     * The replicas' Service balances connections when they open, so a long-lived pool would never reach a replica
     * that joined (or came back) after it filled: replica connections are renewed every 30 s (Hikari's shortest).
     */
    private static final Duration REPLICA_CONNECTION_LIFETIME = Duration.ofSeconds(30);
    private static final Duration PRIMARY_CONNECTION_LIFETIME = Duration.ofMinutes(30);

    private final HikariDataSource primaryPool;
    private final HikariDataSource replicaPool;
    private final Jdbi primary;
    private final Jdbi replica;

    public Databases(AppConfig config, MeterRegistry meters) {
        AppConfig.Db db = config.db();
        primaryPool = pool("primary", db.primaryUrl(), db, db.connectTimeout(), PRIMARY_SOCKET_TIMEOUT, PRIMARY_CONNECTION_LIFETIME, meters);
        primary = Jdbis.create(primaryPool);
        replicaPool = db.replicaUrl().map(url -> pool("replica", url, db, db.replicaConnectTimeout(), REPLICA_SOCKET_TIMEOUT,
                REPLICA_CONNECTION_LIFETIME, meters)).orElse(null);
        replica = replicaPool == null ? null : Jdbis.create(replicaPool);
    }

    public Jdbi primary() {
        return primary;
    }

    public Optional<Jdbi> replica() {
        return Optional.ofNullable(replica);
    }

    public HikariDataSource primaryDataSource() {
        return primaryPool;
    }

    private static HikariDataSource pool(String name, String url, AppConfig.Db db, Duration connectTimeout, Duration socketTimeout,
                                         Duration lifetime, MeterRegistry meters) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setJdbcUrl(url);
        hikari.setUsername(db.user());
        hikari.setPassword(db.password());
        hikari.setMaximumPoolSize(db.poolSize());
        hikari.setMinimumIdle(Math.min(2, db.poolSize()));
        hikari.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
        hikari.setValidationTimeout(Math.max(250, connectTimeout.toMillis()));
        hikari.setInitializationFailTimeout(-1);
        hikari.setMaxLifetime(lifetime.toMillis());
        hikari.setMetricRegistry(meters);
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
        if (replicaPool != null) {
            replicaPool.close();
        }
    }
}
