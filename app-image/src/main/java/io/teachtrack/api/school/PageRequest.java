package io.teachtrack.api.school;

import io.teachtrack.api.web.Page;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

/** {@code ?after=<id>&limit=<1..100>}: keyset pagination, stable under inserts and cheap at any depth. */
public record PageRequest(
        @QueryParam("after") @DefaultValue("0") @Min(0) long after,
        @QueryParam("limit") @DefaultValue("" + Page.DEFAULT_LIMIT) @Min(1) @Max(Page.MAX_LIMIT) int limit) {
}
