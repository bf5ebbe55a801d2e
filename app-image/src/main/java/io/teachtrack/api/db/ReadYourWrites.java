package io.teachtrack.api.db;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.teachtrack.api.cache.RedisGateway;
import io.teachtrack.api.cache.RedisScript;
import io.teachtrack.api.config.AppConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, per user and across pods, when the user last wrote, so that their next reads avoid a replica that has
 * not applied that write yet. Pods are stateless, so the marker lives in Redis; when Redis is off or does not answer
 * a lookup, the marker is unknown and the router plays safe (a replica only once it has the primary's position).
 *
 * <p>A marker Redis did not take (a command timed out on a loaded machine, Redis paused) is not lost: this pod keeps
 * its own writers for the window and answers from that memory too, and sends the marker again before its next Redis
 * command. Until then another pod may not know that write — the same bound as a missed cache invalidation.
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
    /** Beyond this many writers in one window, expired ones are forgotten first, then everything (Redis still has them). */
    private static final int MAX_REMEMBERED = 100_000;

    /** KEYS: the marker; ARGV: the write's time, time to live (ms). A marker only moves forward, whichever pod sets it. */
    private static final RedisScript SET_LATEST = new RedisScript("""
            local current = redis.call('GET', KEYS[1])
            if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
            """, ScriptOutputType.INTEGER);

    private final RedisGateway redis;
    private final Duration window;
    private final Clock clock;
    /** This pod's writers within the window: user → time of the last write. */
    private final Map<Long, Long> recent = new ConcurrentHashMap<>();
    /** Markers Redis has not taken yet: user → time of the write. */
    private final Map<Long, Long> undelivered = new ConcurrentHashMap<>();

    public ReadYourWrites(RedisGateway redis, AppConfig config) {
        this.redis = redis;
        // After this long, the lag budget alone guarantees a replica we read from has the write.
        this.window = Duration.ofSeconds(config.readMaxLagSeconds() + 5L);
        this.clock = Clock.systemUTC();
    }

    public void recordWrite(long userId, long writtenAt) {
        if (!redis.enabled()) {
            return;
        }
        remember(userId, writtenAt);
        undelivered.merge(userId, writtenAt, Math::max);
        try {
            redis.call(commands -> {
                deliver(commands);
                return null;
            });
        } catch (RuntimeException e) {
            // Kept in undelivered: sent before this pod's next Redis command, and answered from memory meanwhile.
        }
    }

    public LastWrite lastWrite(long userId) {
        if (!redis.enabled()) {
            return new LastWrite.Unknown();
        }
        long local = remembered(userId);
        try {
            String value = redis.call(commands -> {
                deliver(commands);
                return commands.get(PREFIX + userId);
            });
            long latest = Math.max(local, value == null ? 0 : Long.parseLong(value));
            return latest == 0 ? new LastWrite.None() : new LastWrite.At(latest);
        } catch (RuntimeException e) {
            return new LastWrite.Unknown();
        }
    }

    private void deliver(RedisCommands<String, String> commands) {
        if (undelivered.isEmpty()) {
            return;
        }
        long now = clock.millis();
        for (Map.Entry<Long, Long> marker : List.copyOf(undelivered.entrySet())) {
            long remaining = marker.getValue() + window.toMillis() - now;
            if (remaining > 0) {
                SET_LATEST.run(commands, new String[] {PREFIX + marker.getKey()}, Long.toString(marker.getValue()), Long.toString(remaining));
            }
            // Unless a newer write of the same user came meanwhile: that one is sent by the next delivery.
            undelivered.remove(marker.getKey(), marker.getValue());
        }
    }

    private void remember(long userId, long writtenAt) {
        if (recent.size() >= MAX_REMEMBERED) {
            long expired = clock.millis() - window.toMillis();
            recent.values().removeIf(time -> time <= expired);
            if (recent.size() >= MAX_REMEMBERED) {
                recent.keySet().removeIf(user -> !undelivered.containsKey(user));
            }
        }
        recent.merge(userId, writtenAt, Math::max);
    }

    /** This pod's last write for the user within the window, or 0. */
    private long remembered(long userId) {
        Long writtenAt = recent.get(userId);
        if (writtenAt == null) {
            return 0;
        }
        if (writtenAt + window.toMillis() <= clock.millis()) {
            recent.remove(userId, writtenAt);
            return 0;
        }
        return writtenAt;
    }
}
