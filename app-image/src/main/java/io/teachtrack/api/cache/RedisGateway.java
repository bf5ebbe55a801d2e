package io.teachtrack.api.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.teachtrack.api.config.AppConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The pod's one shared Lettuce connection (thread-safe, pipelined by Netty). Every command has a short timeout and
 * runs behind one circuit breaker: a slow, paused or dead Redis costs a request at most one timeout, and once the
 * breaker opens nothing waits for Redis at all until a probe after {@code delay} succeeds.
 */
@ApplicationScoped
public class RedisGateway {

    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(2);

    private final RedisClient client;
    private volatile StatefulRedisConnection<String, String> connection;

    public RedisGateway(AppConfig config) {
        this.client = config.redisUrl().map(url -> client(url, config.redis().password(), config.redis().timeout())).orElse(null);
    }

    private static RedisClient client(String url, Optional<String> password, Duration timeout) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(timeout);
        password.ifPresent(secret -> uri.setPassword(secret));
        // Reconnect quickly once Redis is back (Lettuce's default backs off to 30 s).
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While disconnected, fail at once instead of queueing: the caller falls back to the database.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build())
                .build());
        return client;
    }

    /** False when the cache is off (no {@code TEACHTRACK_REDIS_URL}). */
    public boolean enabled() {
        return client != null;
    }

    /** Runs commands on the shared connection; any failure counts against the breaker and is thrown to the caller. */
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 2000, successThreshold = 1)
    public <T> T call(Function<RedisCommands<String, String>, T> commands) {
        if (client == null) {
            throw new IllegalStateException("the cache is off");
        }
        return commands.apply(connection().sync());
    }

    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (connection == null) {
                connection = client.connect();
            }
            return connection;
        }
    }

    @PreDestroy
    void close() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
