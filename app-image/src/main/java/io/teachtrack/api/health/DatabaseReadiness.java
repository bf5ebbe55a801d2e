package io.teachtrack.api.health;

import io.teachtrack.api.cache.RedisGateway;
import io.teachtrack.api.db.Databases;
import io.teachtrack.api.db.ReplicaMonitor;
import io.teachtrack.api.db.ReplicaPools;
import io.teachtrack.api.db.SchemaMigrations;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.sql.Connection;

/**
 * Ready means: the schema is migrated and the pod can serve reads — the primary answers, a replica does, or, with no
 * database at all, the cache does (cached reads answer 200, the rest 503 with Retry-After). Without a primary the pod
 * stays in its Service: reads go on from the replicas or the cache and writes answer 503 with Retry-After, which beats
 * a Service with no endpoints. A Redis outage alone only shows in the data ({@code cache}).
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    static final String NAME = "database";
    private static final int VALID_TIMEOUT_SECONDS = 2;

    private final Databases databases;
    private final SchemaMigrations schema;
    private final ReplicaPools replicas;
    private final ReplicaMonitor monitor;
    private final RedisGateway redis;

    public DatabaseReadiness(Databases databases, SchemaMigrations schema, ReplicaPools replicas, ReplicaMonitor monitor,
                             RedisGateway redis) {
        this.databases = databases;
        this.schema = schema;
        this.replicas = replicas;
        this.monitor = monitor;
        this.redis = redis;
    }

    @Override
    public HealthCheckResponse call() {
        // With replicas, the monitor probes the primary several times a second; without, ask it (the pod is useless without it).
        boolean primary = replicas.configured() ? monitor.primaryReachable() : primaryAnswers();
        boolean replica = replicas.configured() && monitor.anyReachable();
        // Redis is asked only when no database answers: the breaker keeps that to one short command at most.
        boolean cacheOnly = !primary && !replica && redis.enabled() && cacheAnswers();
        var response = HealthCheckResponse.named(NAME)
                .withData("schema", schema.isDone() ? "migrated" : "pending")
                .withData("primary", primary ? "up" : "down")
                .withData("replica", !replicas.configured() ? "none" : replica ? "up" : "degraded")
                .withData("cache", !redis.enabled() ? "off" : cacheOnly ? "serving" : "on");
        return response.status(schema.isDone() && (primary || replica || cacheOnly)).build();
    }

    private boolean cacheAnswers() {
        try {
            return "PONG".equals(redis.call(commands -> commands.ping()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean primaryAnswers() {
        try (Connection connection = databases.primaryDataSource().getConnection()) {
            return connection.isValid(VALID_TIMEOUT_SECONDS);
        } catch (Exception e) {
            return false;
        }
    }
}
