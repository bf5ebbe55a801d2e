package io.teachtrack.api.db;

import io.lettuce.core.SetArgs;
import io.teachtrack.api.cache.RedisGateway;
import io.teachtrack.api.config.AppConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Remembers, per user and across pods, when the user last wrote, so that their next reads avoid a replica that has
 * not applied that write yet. Pods are stateless, so the marker lives in Redis; when Redis is off or failing the
 * marker is unknown and the router plays safe (primary).
 */
@ApplicationScoped
public class ReadYourWrites {

    /** The answer for one user: no recent write, a write at {@code writtenAt} (epoch ms), or unknown. */
    public sealed interface LastWrite {
        record None() implements LastWrite {
        }

        record At(long writtenAt) implements LastWrite {
        }

        record Unknown() implements LastWrite {
        }
    }

    private static final String PREFIX = "tt:ryw:";

    private final RedisGateway redis;
    private final Duration window;

    public ReadYourWrites(RedisGateway redis, AppConfig config) {
        this.redis = redis;
        // After this long, the lag budget alone guarantees a replica we read from has the write.
        this.window = Duration.ofSeconds(config.readMaxLagSeconds() + 5L);
    }

    public void recordWrite(long userId, long writtenAt) {
        if (!redis.enabled()) {
            return;
        }
        try {
            redis.call(commands -> commands.set(PREFIX + userId, Long.toString(writtenAt), SetArgs.Builder.px(window.toMillis())));
        } catch (RuntimeException e) {
            // The next reads of this user find Redis failing too, or the marker missing; see lastWrite.
        }
    }

    public LastWrite lastWrite(long userId) {
        if (!redis.enabled()) {
            return new LastWrite.Unknown();
        }
        try {
            String value = redis.call(commands -> commands.get(PREFIX + userId));
            return value == null ? new LastWrite.None() : new LastWrite.At(Long.parseLong(value));
        } catch (RuntimeException e) {
            return new LastWrite.Unknown();
        }
    }
}
