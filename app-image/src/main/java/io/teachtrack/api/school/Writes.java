package io.teachtrack.api.school;

import io.teachtrack.api.cache.CacheScope;
import io.teachtrack.api.cache.ReadThroughCache;
import io.teachtrack.api.db.DatabaseRouter;
import io.teachtrack.api.db.ReadYourWrites;
import io.teachtrack.api.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.HandleCallback;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The one write path: a transaction on the primary; only after it commits, the affected cache scopes are bumped and
 * the caller's read-your-writes marker is set. A transaction that failed before its commit invalidates nothing; one
 * whose commit failed may have committed, and drops everything cached.
 */
@ApplicationScoped
public class Writes {

    private static final Logger LOG = Logger.getLogger(Writes.class);

    private final DatabaseRouter router;
    private final ReadThroughCache cache;
    private final ReadYourWrites readYourWrites;

    public Writes(DatabaseRouter router, ReadThroughCache cache, ReadYourWrites readYourWrites) {
        this.router = router;
        this.cache = cache;
        this.readYourWrites = readYourWrites;
    }

    public <T> T run(Caller caller, HandleCallback<T, RuntimeException> work, Function<T, Collection<CacheScope>> affected) {
        AtomicBoolean committing = new AtomicBoolean();
        T result;
        try {
            result = router.write(handle -> {
                T done = work.withHandle(handle);
                committing.set(true);
                return done;
            });
        } catch (RuntimeException e) {
            if (!committing.get()) {
                throw e;
            }
            // The statements ran, the commit failed or lost its answer (a primary killed, fenced or switched over
            // mid-commit): the row may exist, on the new primary too, while the client hears 503. Its scopes are unknown
            // (a created row's id), so nothing cached before may outlive it, a 404 for that id included.
            LOG.warnf("a commit's outcome is unknown; everything cached is dropped: %s", e.getClass().getSimpleName());
            cache.dropEverything();
            readYourWrites.recordWrite(caller.userId(), System.currentTimeMillis());
            throw e;
        }
        cache.invalidate(affected.apply(result));
        readYourWrites.recordWrite(caller.userId(), System.currentTimeMillis());
        return result;
    }
}
