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
 * Ready means: the schema is migrated and the primary answers. A replica or Redis outage only shows in the data
 * ({@code replica}, {@code cache}): the pod keeps serving from the primary, so taking it out of the Service would only
 * turn a slowdown into an outage.
 */
@Readiness
@ApplicationScoped
public class PrimaryReadiness implements HealthCheck {

    private static final int VALID_TIMEOUT_SECONDS = 2;

    private final Databases databases;
    private final SchemaMigrations schema;
    private final ReplicaPools replicas;
    private final ReplicaMonitor monitor;
    private final RedisGateway redis;

    public PrimaryReadiness(Databases databases, SchemaMigrations schema, ReplicaPools replicas, ReplicaMonitor monitor, RedisGateway redis) {
        this.databases = databases;
        this.schema = schema;
        this.replicas = replicas;
        this.monitor = monitor;
        this.redis = redis;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("primary-database")
                .withData("schema", schema.isDone() ? "migrated" : "pending")
                .withData("replica", !replicas.configured() ? "none" : monitor.anyReachable() ? "up" : "degraded")
                .withData("cache", redis.enabled() ? "on" : "off");
        return response.status(schema.isDone() && primaryAnswers()).build();
    }

    private boolean primaryAnswers() {
        try (Connection connection = databases.primaryDataSource().getConnection()) {
            return connection.isValid(VALID_TIMEOUT_SECONDS);
        } catch (Exception e) {
            return false;
        }
    }
}
