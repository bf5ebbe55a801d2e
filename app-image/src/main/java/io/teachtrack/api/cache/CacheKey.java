package io.teachtrack.api.cache;

/** A cached value: its scope and what distinguishes it inside the scope (a page, a filter, or {@code one}). */
public record CacheKey(CacheScope scope, String variant) {

    public CacheKey {
        if (variant == null || variant.isBlank() || variant.contains(" ")) {
            throw new IllegalArgumentException("bad cache variant: " + variant);
        }
    }

    public static CacheKey entity(String kind, long id) {
        return new CacheKey(CacheScope.of(kind, id), "one");
    }

}
