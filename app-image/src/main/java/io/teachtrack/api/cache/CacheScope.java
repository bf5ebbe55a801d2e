package io.teachtrack.api.cache;

/**
 * A unit of invalidation: one entity ({@code class:7}), one list ({@code classes}) or one aggregate
 * ({@code summary:class:7}). Every scope has a generation counter in Redis; a write bumps it after commit, so every
 * key built from the old generation is dead at once, lists and aggregates included.
 */
public record CacheScope(String name) {

    /** Bumped when the layout of cached values changes, so a rolling upgrade never reads the old format. */
    static final String LAYOUT = "tt:v1:";

    public CacheScope {
        if (name == null || name.isBlank() || name.contains(" ")) {
            throw new IllegalArgumentException("bad cache scope: " + name);
        }
    }

    public static CacheScope of(String kind, long id) {
        return new CacheScope(kind + ":" + id);
    }

    public static CacheScope of(String kind) {
        return new CacheScope(kind);
    }

    String generationKey() {
        return LAYOUT + "gen:" + name;
    }

    /** Present for a short while after a write: fills then read the primary, not a replica that may lag. */
    String holdKey() {
        return LAYOUT + "hold:" + name;
    }

    /** Counts the amendments of the scope's entry views (they leave the generation as it is). */
    String amendmentsKey() {
        return LAYOUT + "amends:" + name;
    }

    String valuePrefix() {
        return LAYOUT + "val:" + name;
    }

    /** The counter fresh generations take their last digits from (unique within one microsecond). */
    static String generationCounterKey() {
        return LAYOUT + "gencounter";
    }

    static String epochKey() {
        return LAYOUT + "epoch";
    }
}
