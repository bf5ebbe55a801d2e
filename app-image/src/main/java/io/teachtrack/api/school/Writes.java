package io.teachtrack.api.school;

import io.teachtrack.api.cache.CacheScope;
import io.teachtrack.api.cache.ReadThroughCache;
import io.teachtrack.api.db.DatabaseRouter;
import io.teachtrack.api.db.ReadYourWrites;
import io.teachtrack.api.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import org.jdbi.v3.core.HandleCallback;

import java.util.Collection;
import java.util.function.Function;

/**
 * The one write path: a transaction on the primary; only after it commits, the affected cache scopes are bumped and
 * the caller's read-your-writes marker is set. A failed transaction invalidates nothing.
 */
@ApplicationScoped
public class Writes {

    private final DatabaseRouter router;
    private final ReadThroughCache cache;
    private final ReadYourWrites readYourWrites;

    public Writes(DatabaseRouter router, ReadThroughCache cache, ReadYourWrites readYourWrites) {
        this.router = router;
        this.cache = cache;
        this.readYourWrites = readYourWrites;
    }

    public <T> T run(Caller caller, HandleCallback<T, RuntimeException> work, Function<T, Collection<CacheScope>> affected) {
        T result = router.write(work);
        cache.invalidate(affected.apply(result));
        readYourWrites.recordWrite(caller.userId(), System.currentTimeMillis());
        return result;
    }
}
