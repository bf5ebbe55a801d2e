package io.teachtrack.api.school;

import io.teachtrack.api.cache.CacheScope;
import io.teachtrack.api.security.Caller;
import io.teachtrack.api.web.ApiException;
import io.teachtrack.api.web.Page;
import org.jdbi.v3.core.Handle;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Find, list, create and update for a simple table (teachers, students, subjects), cached per row and per list.
 * Table and column names are constants of this class's users, never request input; values are always bound.
 */
final class Directory<T> {

    /** The views other than its own list that show a row of this table (a student's name appears in rosters). */
    @FunctionalInterface
    interface ShownIn {
        ShownIn NOWHERE_ELSE = (handle, id) -> List.of();

        Collection<CacheScope> scopes(Handle handle, long id);
    }

    private final String kind;
    private final String table;
    private final List<String> columns;
    private final Class<T> type;
    private final ToLongFunction<T> id;
    private final CachedReads reads;
    private final Writes writes;
    private final ShownIn shownIn;

    Directory(String kind, String table, List<String> columns, Class<T> type, ToLongFunction<T> id, CachedReads reads, Writes writes,
              ShownIn shownIn) {
        this.kind = kind;
        this.table = table;
        this.columns = columns;
        this.type = type;
        this.id = id;
        this.reads = reads;
        this.writes = writes;
        this.shownIn = shownIn;
    }

    T find(Caller caller, long rowId) {
        return reads.one(caller, kind, rowId, type, "SELECT id, " + columnList() + " FROM " + table + " WHERE id = :id")
                .orElseThrow(() -> ApiException.notFound(kind, rowId));
    }

    Page<T> list(Caller caller, PageRequest page) {
        return reads.page(caller, Scopes.list(kind), "all", page, type,
                "SELECT id, " + columnList() + " FROM " + table + " WHERE id > :after ORDER BY id LIMIT :limit", Map.of(), id);
    }

    T create(Caller caller, Map<String, Object> values) {
        requireColumns(values);
        String names = columnList();
        String params = columns.stream().map(c -> ":" + c).collect(Collectors.joining(", "));
        // Read back on the connection that wrote: just after a switchover a new read may reach a server that does not
        // have the row yet, and a committed write must never be answered 404.
        return writes.run(caller, (handle, changes) -> {
            long newId = handle.createUpdate("INSERT INTO " + table + " (" + names + ") VALUES (" + params + ")")
                    .bindMap(values).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            changes.affect(Scopes.row(kind, newId));
            return readBack(handle, newId).orElseThrow();
        });
    }

    T update(Caller caller, long rowId, Map<String, Object> values) {
        requireColumns(values);
        String assignments = columns.stream().map(c -> c + " = :" + c).collect(Collectors.joining(", "));
        Optional<T> updated = writes.run(caller, (handle, changes) -> {
            int changed = handle.createUpdate("UPDATE " + table + " SET " + assignments + " WHERE id = :id").bindMap(values).bind("id", rowId)
                    .execute();
            changes.affect(Scopes.row(kind, rowId)).affect(shownIn.scopes(handle, rowId));
            return changed == 0 ? Optional.<T>empty() : readBack(handle, rowId);
        });
        return updated.orElseThrow(() -> ApiException.notFound(kind, rowId));
    }

    /** The row as the writing connection sees it (the primary, in the same transaction). */
    private Optional<T> readBack(Handle handle, long rowId) {
        return handle.createQuery("SELECT id, " + columnList() + " FROM " + table + " WHERE id = :id").bind("id", rowId).mapTo(type).findOne();
    }

    static Map<String, Object> values(Object... pairs) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return values;
    }

    private void requireColumns(Map<String, Object> values) {
        if (!values.keySet().equals(Set.copyOf(columns))) {
            throw new IllegalArgumentException(kind + " takes the columns " + columns + ", not " + values.keySet());
        }
    }

    private String columnList() {
        return String.join(", ", columns);
    }
}
