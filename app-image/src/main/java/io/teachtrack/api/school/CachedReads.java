package io.teachtrack.api.school;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.teachtrack.api.cache.CacheKey;
import io.teachtrack.api.cache.CacheScope;
import io.teachtrack.api.cache.Entries;
import io.teachtrack.api.cache.ReadThroughCache;
import io.teachtrack.api.db.DatabaseRouter;
import io.teachtrack.api.security.Caller;
import io.teachtrack.api.web.Page;
import jakarta.enterprise.context.ApplicationScoped;
import org.jdbi.v3.core.Handle;

import java.lang.reflect.Type;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The one read path of the API: through the cache, then through the router (replica or primary). Every read names the
 * caller, whose recent writes the router honours.
 */
@ApplicationScoped
public class CachedReads {

    private final ReadThroughCache cache;
    private final DatabaseRouter router;
    private final TypeFactory types;

    public CachedReads(ReadThroughCache cache, DatabaseRouter router, ObjectMapper json) {
        this.cache = cache;
        this.router = router;
        this.types = json.getTypeFactory();
    }

    /** One row by id, e.g. {@code SELECT ... FROM teachers WHERE id = :id}. */
    public <T> Optional<T> one(Caller caller, String kind, long id, Class<T> type, String sql) {
        return cache.get(CacheKey.entity(kind, id), typeOf(type),
                freshness -> router.read(caller.userId(), freshness,
                        handle -> handle.createQuery(sql).bind("id", id).mapTo(type).findOne()));
    }

    /** A page of a list; the SQL selects {@code WHERE id > :after ... ORDER BY id LIMIT :limit}. */
    public <T> Page<T> page(Caller caller, CacheScope scope, String filter, PageRequest request, Class<T> type,
                            String sql, Map<String, Object> binds, ToLongFunction<T> id) {
        CacheKey key = new CacheKey(scope, filter + ":a" + request.after() + ":l" + request.limit());
        TypeReference<Page<T>> pageType = typeOf(types.constructParametricType(Page.class, type));
        return cache.get(key, pageType, freshness -> Optional.of(router.read(caller.userId(), freshness, handle -> Page.of(
                handle.createQuery(sql).bindMap(binds).bind("after", request.after()).bind("limit", request.limit() + 1)
                        .mapTo(type).list(),
                request.limit(), id)))).orElseThrow();
    }

    /** A computed value (an aggregate) under its own key. */
    public <T> T computed(Caller caller, CacheKey key, Class<T> type, Function<Handle, T> query) {
        return cache.get(key, typeOf(type), freshness -> Optional.of(router.read(caller.userId(), freshness, query::apply))).orElseThrow();
    }

    /** A view cached as entries that writes amend in place ({@link Writes.Changes#amend}). */
    public Entries entries(Caller caller, CacheKey key, Function<Handle, Entries> query) {
        return cache.entries(key, freshness -> router.read(caller.userId(), freshness, query::apply));
    }

    private static <T> TypeReference<T> typeOf(Type type) {
        return new TypeReference<>() {
            @Override
            public Type getType() {
                return type;
            }
        };
    }
}
