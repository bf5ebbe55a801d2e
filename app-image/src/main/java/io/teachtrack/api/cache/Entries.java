package io.teachtrack.api.cache;

import java.util.Map;

/**
 * A view cached as entries that a write amends in place instead of dropping the view (a register, an attendance
 * summary): {@code base} is the part no single-row write changes (a write to it drops the view's scope as usual), each
 * entry one row under a field name, with the version the database gave that row. An entry is only ever replaced by a
 * higher version, so amendments and fills may reach Redis in any order, and twice.
 */
public record Entries(String base, Map<String, Entry> entries) {

    /** One row of a view: the version the database gave it (it grows with every change of the row) and its value. */
    public record Entry(long version, String value) {

        public Entry {
            if (version < 0 || value == null) {
                throw new IllegalArgumentException("bad entry: version " + version + ", value " + value);
            }
        }
    }

    public Entries {
        if (base == null) {
            throw new IllegalArgumentException("a view's base may be empty, not null");
        }
        entries = Map.copyOf(entries);
    }
}
