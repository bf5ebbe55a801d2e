package io.teachtrack.api.db;

/** What a read may see: anything within the lag budget, or only what the primary has now. */
public enum Freshness {
    /** A replica within {@code TEACHTRACK_READ_MAX_LAG_SECONDS} will do (unless the caller wrote recently). */
    ANY,
    /** Only the primary: the data was just written, and a replica may not have it yet. */
    PRIMARY
}
