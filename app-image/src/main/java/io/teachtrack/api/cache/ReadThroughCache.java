package io.teachtrack.api.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.teachtrack.api.cache.Entries.Entry;
import io.teachtrack.api.config.AppConfig;
import io.teachtrack.api.db.Freshness;
import io.teachtrack.api.metrics.AppMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
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
 * <li>Views a single-row write changes (a register, an attendance summary) are cached as {@link Entries}: the write
 * amends the row's entry in place after its commit instead of dropping the view, so the hottest aggregates stay cached
 * under a steady trickle of writes. An entry carries its row's version and only a newer one replaces it, so a fill that
 * loaded before the commit cannot undo the amendment, and an amendment never lands after a later drop.</li>
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

    /**
     * A view a write amends: the entries it changed, and where the view's scope stood just before the commit
     * ({@code null} when Redis did not say: the view is then dropped, not amended).
     */
    public record Amendment(CacheKey key, String standing, Map<String, Entry> entries) {
    }

    /** A value cached as one JSON string, or absent (a cached 404). */
    public <T> Optional<T> get(CacheKey key, TypeReference<T> type, Loader<T> loader) {
        return through(key, new JsonValue<>(type), loader::load);
    }

    /** A view cached as entries that writes amend in place ({@link #prepare}, {@link #afterCommit}). */
    public Entries entries(CacheKey key, Function<Freshness, Entries> loader) {
        return through(key, entryHash, loader);
    }

    /** How a kind of value sits in Redis. */
    private interface Stored<V> {
        /** The shape {@link CacheScripts#LOOKUP} reads: {@code s} a string, {@code h} a hash. */
        String shape();

        V decode(Object stored);

        /** Fills the value loaded after {@code seen}. */
        void fill(RedisCommands<String, String> commands, CacheKey key, Lookup seen, V value);
    }

    private final class JsonValue<T> implements Stored<Optional<T>> {
        private final TypeReference<T> type;

        private JsonValue(TypeReference<T> type) {
            this.type = type;
        }

        @Override
        public String shape() {
            return "s";
        }

        @Override
        public Optional<T> decode(Object stored) {
            if (ABSENT.equals(stored)) {
                return Optional.empty();
            }
            try {
                return Optional.of(json.readValue((String) stored, type));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a cached value does not decode; bump CacheScope.LAYOUT when changing cached types", e);
            }
        }

        @Override
        public void fill(RedisCommands<String, String> commands, CacheKey key, Lookup seen, Optional<T> value) {
            String encoded;
            try {
                encoded = value.isPresent() ? json.writeValueAsString(value.get()) : ABSENT;
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot encode a cached value", e);
            }
            commands.set(seen.redisKey(), encoded, SetArgs.Builder.px(jittered(value.isPresent() ? ttl : negativeTtl).toMillis()));
        }
    }

    private final Stored<Entries> entryHash = new Stored<>() {
        @Override
        public String shape() {
            return "h";
        }

        @Override
        public Entries decode(Object stored) {
            List<?> fields = (List<?>) stored;
            String base = "";
            Map<String, Entry> entries = new HashMap<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String field = (String) fields.get(i);
                String held = (String) fields.get(i + 1);
                if (CacheScripts.BASE_FIELD.equals(field)) {
                    base = held;
                } else {
                    int colon = held.indexOf(':');
                    entries.put(field, new Entry(Long.parseLong(held.substring(0, colon)), held.substring(colon + 1)));
                }
            }
            return new Entries(base, entries);
        }

        @Override
        public void fill(RedisCommands<String, String> commands, CacheKey key, Lookup seen, Entries value) {
            List<String> args = new ArrayList<>(List.of(String.valueOf(jittered(ttl).toMillis()), value.base(), seen.amendments()));
            addTriples(args, value.entries());
            CacheScripts.FILL_ENTRIES.run(commands, new String[] {seen.redisKey(), key.scope().amendmentsKey()}, args.toArray(String[]::new));
        }
    };

    private <V> V through(CacheKey key, Stored<V> stored, Function<Freshness, V> loader) {
        if (!caching) {
            return loader.apply(Freshness.ANY);
        }
        Lookup found = lookup(key, stored);
        if (found != null && found.value() != null) {
            metrics.cache("hit");
            return stored.decode(found.value());
        }
        metrics.cache(found == null ? "error" : "miss");
        return flights.load(key.scope().valuePrefix() + ":" + key.variant(), found == null ? null : found.redisKey() + "#" + found.amendments(),
                        () -> Optional.of(loadAndFill(key, stored, loader)),
                        part -> metrics.cache(part == LoadFlights.Part.LED ? "load" : "coalesced"))
                .orElseThrow();
    }

    private <V> V loadAndFill(CacheKey key, Stored<V> stored, Function<Freshness, V> loader) {
        // The callers looked up before this load began: the load before it may have filled the value, or Redis may be back.
        Lookup now = lookup(key, stored);
        if (now != null && now.value() != null) {
            return stored.decode(now.value());
        }
        if (now == null) {
            // No generation and no hold known, and this load may be shared by callers whose recent writes are unknown
            // (Redis keeps their markers); they all arrived before it began, so whatever was committed before it
            // began is enough: a replica that has applied the primary's current position. Nothing is filled.
            return loader.apply(Freshness.CURRENT);
        }
        V loaded = loader.apply(now.lastWrite() > 0 ? Freshness.after(now.lastWrite()) : Freshness.ANY);
        try {
            redis.call(commands -> {
                stored.fill(commands, key, now, loaded);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.debugf("cache fill skipped: %s", e.toString());
        }
        return loaded;
    }

    /**
     * Inside a write's transaction, just before its commit: where each amended view's scope stands now. An amendment
     * lands only if nothing moved the scope from there by the time it arrives; Redis failing here turns the amendments
     * into drops.
     */
    public List<Amendment> prepare(Map<CacheKey, Map<String, Entry>> amended) {
        if (!caching || amended.isEmpty()) {
            return List.of();
        }
        List<CacheKey> keys = List.copyOf(amended.keySet());
        String[] redisKeys = Stream.concat(Stream.of(CacheScope.epochKey()), keys.stream().map(key -> key.scope().generationKey()))
                .toArray(String[]::new);
        List<String> read;
        try {
            read = redis.call(commands -> commands.mget(redisKeys).stream().map(value -> value.getValueOrElse(null)).toList());
        } catch (RuntimeException e) {
            LOG.debugf("where the views stand is unknown, they will be dropped: %s", e.toString());
            read = Collections.nCopies(redisKeys.length, null);
        }
        String epoch = read.get(0);
        List<Amendment> amendments = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String generation = read.get(i + 1);
            String standing = epoch == null || generation == null ? null : epoch + ":" + generation;
            amendments.add(new Amendment(keys.get(i), standing, amended.get(keys.get(i))));
        }
        return amendments;
    }

    /**
     * After a commit: every key of the dropped scopes is dead, the amended views are amended (or, when that cannot be
     * done safely, dropped too), and until a replica has applied the write, fills read the primary. If Redis misses it,
     * it is retried as drops before this pod's next lookup; too many missed ones drop everything.
     */
    public void afterCommit(Collection<CacheScope> dropped, List<Amendment> amendments) {
        if (!caching || dropped.isEmpty() && amendments.isEmpty()) {
            return;
        }
        // A view whose standing is unknown cannot be amended safely: it is dropped like the scopes.
        List<CacheScope> drops = Stream.concat(dropped.stream(),
                amendments.stream().filter(amendment -> amendment.standing() == null).map(amendment -> amendment.key().scope())).toList();
        try {
            redis.call(commands -> {
                catchUp(commands);
                if (!drops.isEmpty()) {
                    sendInvalidations(commands, drops);
                }
                for (Amendment amendment : amendments) {
                    if (amendment.standing() == null || amend(commands, amendment) == 0) {
                        metrics.cache("amendment_dropped");
                    } else {
                        metrics.cache("amended");
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            List<CacheScope> missed = Stream.concat(dropped.stream(), amendments.stream().map(amendment -> amendment.key().scope())).toList();
            if (pending.size() + missed.size() > MAX_PENDING) {
                epochBumpPending = true;
                pending.clear();
            } else {
                pending.addAll(missed);
            }
            metrics.cache("invalidation_deferred");
            LOG.debugf("cache invalidation deferred: %s", e.toString());
        }
    }

    /** After a commit: every key of these scopes is dead (see {@link #afterCommit}). */
    public void invalidate(Collection<CacheScope> scopes) {
        afterCommit(scopes, List.of());
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

    private long amend(RedisCommands<String, String> commands, Amendment amendment) {
        CacheScope scope = amendment.key().scope();
        List<String> args = new ArrayList<>(List.of(scope.valuePrefix(), amendment.key().variant(), String.valueOf(hold.toMillis()),
                String.valueOf(System.currentTimeMillis()), String.valueOf(generationTtl.toMillis()), amendment.standing()));
        addTriples(args, amendment.entries());
        return CacheScripts.AMEND.<Long>run(commands,
                new String[] {CacheScope.epochKey(), scope.generationKey(), scope.holdKey(), scope.amendmentsKey(),
                        CacheScope.generationCounterKey()},
                args.toArray(String[]::new));
    }

    private static void addTriples(List<String> args, Map<String, Entry> entries) {
        entries.forEach((field, entry) -> {
            if (field.startsWith(CacheScripts.BASE_FIELD)) {
                throw new IllegalArgumentException("an entry's field may not start with " + CacheScripts.BASE_FIELD + ": " + field);
            }
            args.add(field);
            args.add(String.valueOf(entry.version()));
            args.add(entry.value());
        });
    }

    private Long sendInvalidations(RedisCommands<String, String> commands, Collection<CacheScope> scopes) {
        String[] keys = Stream.concat(scopes.stream().distinct().flatMap(scope -> Stream.of(scope.generationKey(), scope.holdKey())),
                Stream.of(CacheScope.generationCounterKey())).toArray(String[]::new);
        return CacheScripts.INVALIDATE.run(commands, keys, String.valueOf(hold.toMillis()), String.valueOf(System.currentTimeMillis()),
                String.valueOf(generationTtl.toMillis()));
    }

    /** Delivers what Redis missed, before anything is read from it again. */
    private void catchUp(RedisCommands<String, String> commands) {
        if (epochBumpPending) {
            CacheScripts.BUMP_EPOCH.run(commands, new String[] {CacheScope.epochKey(), CacheScope.generationCounterKey()});
            epochBumpPending = false;
        }
        if (!pending.isEmpty()) {
            List<CacheScope> due = new ArrayList<>(pending);
            sendInvalidations(commands, due);
            due.forEach(pending::remove);
        }
    }

    /**
     * The value's key in the scope's current generation, the time of the last write under hold, the scope's amendment
     * count (entry views only) and the value.
     */
    private record Lookup(String redisKey, long lastWrite, String amendments, Object value) {
    }

    private Lookup lookup(CacheKey key, Stored<?> stored) {
        try {
            return redis.call(commands -> {
                catchUp(commands);
                List<Object> reply = CacheScripts.LOOKUP.run(commands,
                        new String[] {CacheScope.epochKey(), key.scope().generationKey(), key.scope().holdKey(),
                                key.scope().amendmentsKey(), CacheScope.generationCounterKey()},
                        key.scope().valuePrefix(), key.variant(), String.valueOf(generationTtl.toMillis()), stored.shape());
                return new Lookup((String) reply.get(0), Long.parseLong((String) reply.get(1)), (String) reply.get(2),
                        reply.size() > 3 ? reply.get(3) : null);
            });
        } catch (RuntimeException e) {
            LOG.debugf("cache lookup failed, reading the database: %s", e.toString());
            return null;
        }
    }

    static Duration jittered(Duration base) {
        double factor = 1 - JITTER + ThreadLocalRandom.current().nextDouble() * 2 * JITTER;
        return Duration.ofMillis(Math.max(1, Math.round(base.toMillis() * factor)));
    }
}
