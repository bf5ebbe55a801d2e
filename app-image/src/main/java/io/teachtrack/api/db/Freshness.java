package io.teachtrack.api.db;

/**
 * What a read may see. {@code notBefore} is a time (epoch ms) whose writes the read must include: a replica serves it
 * only once it has applied a heartbeat written after that time. Zero: anything within the lag budget will do.
 */
public record Freshness(long notBefore) {

    /** A replica within {@code TEACHTRACK_READ_MAX_LAG_SECONDS} will do (unless the reader wrote recently). */
    public static final Freshness ANY = new Freshness(0);
    /** Only the primary. */
    public static final Freshness PRIMARY = new Freshness(Long.MAX_VALUE);

    /** Must include what was committed up to {@code writtenAt}. */
    public static Freshness after(long writtenAt) {
        return new Freshness(writtenAt);
    }

    public boolean primaryOnly() {
        return notBefore == Long.MAX_VALUE;
    }
}
