package io.teachtrack.api.web;

import java.util.List;
import java.util.function.ToLongFunction;

/** One page of a list, in id order; pass {@code next} as {@code after} for the following page (null at the end). */
public record Page<T>(List<T> items, Long next) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    /** From a query that fetched {@code limit + 1} rows: the extra row only tells that there is more. */
    public static <T> Page<T> of(List<T> rows, int limit, ToLongFunction<T> id) {
        if (rows.size() <= limit) {
            return new Page<>(List.copyOf(rows), null);
        }
        List<T> items = List.copyOf(rows.subList(0, limit));
        return new Page<>(items, id.applyAsLong(items.get(limit - 1)));
    }
}
