package io.teachtrack.api.school;

import io.teachtrack.api.cache.CacheKey;
import io.teachtrack.api.cache.CacheScope;
import io.teachtrack.api.cache.Entries.Entry;
import io.teachtrack.api.cache.ReadThroughCache;
import io.teachtrack.api.cache.ReadThroughCache.Amendment;
import io.teachtrack.api.db.DatabaseRouter;
import io.teachtrack.api.db.ReadYourWrites;
import io.teachtrack.api.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Handle;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one write path: a transaction on the primary; only after it commits, the cache scopes the work declared are
 * bumped, the views it amends are amended, and the caller's read-your-writes marker is set. A write declares its scopes
 * where it changes the rows (with {@link Scopes}), inside its transaction, so it can look up the views a row appears in
 * (a student's rosters). A transaction that failed before its commit invalidates nothing; one whose commit failed may
 * have committed, and drops everything cached.
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

    /** A write's statements; it declares in {@code changes} the cache scope of every view the rows it changes appear in. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Handle handle, Changes changes);
    }

    /** The cache scopes one write changes, and the entries it changes in views it amends in place. */
    public static final class Changes {
        private final Set<CacheScope> scopes = new LinkedHashSet<>();
        private final Map<CacheKey, Map<String, Entry>> amended = new LinkedHashMap<>();

        public Changes affect(Collection<CacheScope> changed) {
            scopes.addAll(changed);
            return this;
        }

        public Changes affect(CacheScope... changed) {
            return affect(List.of(changed));
        }

        /** Rows of a view cached as entries, as they are after this write (amended in place after the commit). */
        public Changes amend(CacheKey view, Map<String, Entry> entries) {
            amended.computeIfAbsent(view, key -> new LinkedHashMap<>()).putAll(entries);
            return this;
        }

        Set<CacheScope> scopes() {
            return scopes;
        }

        Map<CacheKey, Map<String, Entry>> amended() {
            return amended;
        }
    }

    public <T> T run(Caller caller, Work<T> work) {
        AtomicBoolean committing = new AtomicBoolean();
        Changes changes = new Changes();
        AtomicReference<List<Amendment>> amendments = new AtomicReference<>(List.of());
        T result;
        try {
            result = router.write(handle -> {
                T done = work.run(handle, changes);
                // Where the amended views stand before the commit: a drop after it must win over this write's amendment.
                amendments.set(cache.prepare(changes.amended()));
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
        cache.afterCommit(changes.scopes(), amendments.get());
        readYourWrites.recordWrite(caller.userId(), System.currentTimeMillis());
        return result;
    }
}
