package io.teachtrack.api.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.teachtrack.api.config.AppConfig;
import io.teachtrack.api.db.Freshness;
import io.teachtrack.api.metrics.AppMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Cache-aside on Redis.
 * <ul>
 * <li>Keys carry the scope's generation (and a global epoch): a writer bumps generations after commit, never before,
 * so a reader that loaded old data before the bump can only fill a key nobody reads any more — the stale re-fill race
 * is closed without locks.</li>
 * <li>A bump also leaves a short hold on the scope with the write's time; a miss under a hold loads from the primary
 * until a replica has applied that write, so a lagging replica cannot re-fill the fresh key with old data either.</li>
 * <li>One load per value per pod at a time, whether Redis answers or not ({@link LoadFlights}); misses for absent rows
 * are cached briefly (negative caching); TTLs are jittered so keys filled together do not expire together.</li>
 * <li>Fail open: any Redis failure is a miss served by the database. Invalidations that could not be delivered are
 * sent before this pod reads Redis again (too many of them bump the global epoch: everything cached is dropped).</li>
 * </ul>
 */
@ApplicationScoped
public class ReadThroughCache {

    private static final Logger LOG = Logger.getLogger(ReadThroughCache.class);
    private static final String ABSENT = "~";
    private static final Duration MAX_NEGATIVE_TTL = Duration.ofSeconds(30);
    private static final double JITTER = 0.1;

    /**
     * A generation no earlier one can equal: the server's clock in microseconds and three digits of a counter, as one
     * integer (so a write can still INCR it). A generation that disappears — Redis restarted or flushed, or the key
     * evicted — is replaced by a fresh one, never by a number an earlier generation had: values cached under the old
     * one can never be read again. The last KEYS entry is the counter.
     */
    private static final String FRESH_GENERATION = """
            local function fresh()
              local t = redis.call('TIME')
              return t[1] .. string.format('%06d', tonumber(t[2])) .. string.format('%03d', redis.call('INCR', KEYS[#KEYS]) % 1000)
            end
            """;

    /**
     * KEYS: epoch, generation, hold, counter; ARGV: value prefix, variant, the generation's time to live (ms). Returns
     * {value key, time of the last write under hold ('0' if none), value or nil} in one round trip.
     */
    private static final RedisScript LOOKUP = new RedisScript(FRESH_GENERATION + """
            local function current(key, ttl)
              local v = redis.call('GET', key)
              if v then return v end
              v = fresh()
              if ttl then redis.call('SET', key, v, 'PX', ttl) else redis.call('SET', key, v) end
              return v
            end
            local e = current(KEYS[1], nil)
            local g = current(KEYS[2], ARGV[3])
            local k = ARGV[1] .. ':e' .. e .. ':g' .. g .. ':' .. ARGV[2]
            return {k, redis.call('GET', KEYS[3]) or '0', redis.call('GET', k)}
            """, ScriptOutputType.MULTI);

    /**
     * KEYS: (generation, hold) pairs, then the counter; ARGV: the hold (ms), the write's time, the generation's time to
     * live (ms). A generation moves on by one, or, if it is gone, to a fresh one.
     */
    private static final RedisScript INVALIDATE = new RedisScript(FRESH_GENERATION + """
            for i = 1, #KEYS - 1, 2 do
              if redis.call('EXISTS', KEYS[i]) == 1 then
                redis.call('INCR', KEYS[i])
              else
                redis.call('SET', KEYS[i], fresh(), 'PX', ARGV[3])
              end
              redis.call('SET', KEYS[i + 1], ARGV[2], 'PX', ARGV[1])
            end
            return (#KEYS - 1) / 2
            """, ScriptOutputType.INTEGER);

    /** KEYS: epoch, counter. Everything cached becomes unreachable. */
    private static final RedisScript BUMP_EPOCH = new RedisScript(FRESH_GENERATION + """
            if redis.call('EXISTS', KEYS[1]) == 1 then
              return redis.call('INCR', KEYS[1])
            end
            redis.call('SET', KEYS[1], fresh())
            return 0
            """, ScriptOutputType.INTEGER);
    /** Invalidations kept for a retry when Redis missed them; beyond this many, everything cached is dropped. */
    private static final int MAX_PENDING = 10_000;

    private final RedisGateway redis;
    private final ObjectMapper json;
    private final AppMetrics metrics;
    private final Duration ttl;
    private final Duration negativeTtl;
    private final Duration hold;
    /** Longer than any value lives: a generation that expires costs its scope one reload, and serves nothing wrong. */
    private final Duration generationTtl;
    private final LoadFlights flights = new LoadFlights();
    private final boolean caching;
    private final Set<CacheScope> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean epochBumpPending;

    public ReadThroughCache(RedisGateway redis, ObjectMapper json, AppMetrics metrics, AppConfig config) {
        this.redis = redis;
        this.json = json;
        this.metrics = metrics;
        this.caching = redis.enabled() && config.cacheEnabled();
        this.ttl = Duration.ofSeconds(Math.max(1, config.cacheTtlSeconds()));
        this.negativeTtl = ttl.compareTo(MAX_NEGATIVE_TTL) < 0 ? ttl : MAX_NEGATIVE_TTL;
        this.generationTtl = ttl.multipliedBy(2);
        // Longer than the worst lag a replica may have and still be read from (plus a heartbeat or two).
        this.hold = Duration.ofSeconds(config.readMaxLagSeconds() + 1L).plus(config.db().heartbeatInterval().multipliedBy(2));
    }

    /** Loads a value on a miss; {@code Optional.empty()} means the row does not exist (a 404). */
    @FunctionalInterface
    public interface Loader<T> {
        Optional<T> load(Freshness freshness);
    }

    public <T> Optional<T> get(CacheKey key, TypeReference<T> type, Loader<T> loader) {
        if (!caching) {
            return loader.load(Freshness.ANY);
        }
        Lookup found = lookup(key);
        if (found != null && found.value() != null) {
            metrics.cache("hit");
            return decode(found.value(), type);
        }
        metrics.cache(found == null ? "error" : "miss");
        return flights.load(key.scope().valuePrefix() + ":" + key.variant(), found == null ? null : found.redisKey(),
                () -> loadAndFill(key, type, loader), part -> metrics.cache(part == LoadFlights.Part.LED ? "load" : "coalesced"));
    }

    private <T> Optional<T> loadAndFill(CacheKey key, TypeReference<T> type, Loader<T> loader) {
        // The callers looked up before this load began: the load before it may have filled the value, or Redis may be back.
        Lookup now = lookup(key);
        if (now != null && now.value() != null) {
            return decode(now.value(), type);
        }
        if (now == null) {
            // No generation and no hold known, and this load may be shared by callers whose recent writes are unknown
            // (Redis keeps their markers); they all arrived before it began, so whatever was committed before it
            // began is enough: a replica that has applied the primary's current position. Nothing is filled.
            return loader.load(Freshness.CURRENT);
        }
        Optional<T> loaded = loader.load(now.lastWrite() > 0 ? Freshness.after(now.lastWrite()) : Freshness.ANY);
        fill(now.redisKey(), loaded);
        return loaded;
    }

    /**
     * After a commit: every key of these scopes is dead, and until a replica has applied the write, fills read the
     * primary. If Redis misses it, it is retried before this pod's next lookup; too many missed ones drop everything.
     */
    public void invalidate(Collection<CacheScope> scopes) {
        if (!caching || scopes.isEmpty()) {
            return;
        }
        try {
            redis.call(commands -> sendInvalidations(commands, scopes));
        } catch (RuntimeException e) {
            if (pending.size() + scopes.size() > MAX_PENDING) {
                epochBumpPending = true;
                pending.clear();
            } else {
                pending.addAll(scopes);
            }
            metrics.cache("invalidation_deferred");
            LOG.debugf("cache invalidation deferred: %s", e.toString());
        }
    }

    /**
     * Everything cached becomes dead (the global epoch moves on): for a write whose commit may or may not have happened
     * and whose scopes are not all known (a created row's id). Delivered later if Redis misses it, like an invalidation.
     */
    public void dropEverything() {
        if (!caching) {
            return;
        }
        epochBumpPending = true;
        try {
            redis.call(commands -> {
                catchUp(commands);
                return null;
            });
        } catch (RuntimeException e) {
            metrics.cache("invalidation_deferred");
            LOG.debugf("cache epoch bump deferred: %s", e.toString());
        }
    }

    private Long sendInvalidations(RedisCommands<String, String> commands, Collection<CacheScope> scopes) {
        String[] keys = Stream.concat(scopes.stream().distinct().flatMap(scope -> Stream.of(scope.generationKey(), scope.holdKey())),
                Stream.of(CacheScope.generationCounterKey())).toArray(String[]::new);
        return INVALIDATE.run(commands, keys, String.valueOf(hold.toMillis()), String.valueOf(System.currentTimeMillis()),
                String.valueOf(generationTtl.toMillis()));
    }

    /** Delivers what Redis missed, before anything is read from it again. */
    private void catchUp(RedisCommands<String, String> commands) {
        if (epochBumpPending) {
            BUMP_EPOCH.run(commands, new String[] {CacheScope.epochKey(), CacheScope.generationCounterKey()});
            epochBumpPending = false;
        }
        if (!pending.isEmpty()) {
            List<CacheScope> due = new ArrayList<>(pending);
            sendInvalidations(commands, due);
            due.forEach(pending::remove);
        }
    }

    private record Lookup(String redisKey, long lastWrite, String value) {
    }

    private Lookup lookup(CacheKey key) {
        try {
            return redis.call(commands -> {
                catchUp(commands);
                List<Object> reply = LOOKUP.run(commands,
                        new String[] {CacheScope.epochKey(), key.scope().generationKey(), key.scope().holdKey(),
                                CacheScope.generationCounterKey()},
                        key.scope().valuePrefix(), key.variant(), String.valueOf(generationTtl.toMillis()));
                return new Lookup((String) reply.get(0), Long.parseLong((String) reply.get(1)), reply.size() > 2 ? (String) reply.get(2) : null);
            });
        } catch (RuntimeException e) {
            LOG.debugf("cache lookup failed, reading the database: %s", e.toString());
            return null;
        }
    }

    private <T> void fill(String redisKey, Optional<T> value) {
        try {
            String encoded = value.isPresent() ? json.writeValueAsString(value.get()) : ABSENT;
            long millis = jittered(value.isPresent() ? ttl : negativeTtl).toMillis();
            redis.call(commands -> commands.set(redisKey, encoded, SetArgs.Builder.px(millis)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a cached value", e);
        } catch (RuntimeException e) {
            LOG.debugf("cache fill skipped: %s", e.toString());
        }
    }

    private <T> Optional<T> decode(String value, TypeReference<T> type) {
        if (ABSENT.equals(value)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(value, type));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a cached value does not decode; bump CacheScope.LAYOUT when changing cached types", e);
        }
    }

    static Duration jittered(Duration base) {
        double factor = 1 - JITTER + ThreadLocalRandom.current().nextDouble() * 2 * JITTER;
        return Duration.ofMillis(Math.max(1, Math.round(base.toMillis() * factor)));
    }
}
