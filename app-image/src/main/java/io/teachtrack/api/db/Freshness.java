package io.teachtrack.api.db;

/**
 * What a read may see. {@code notBefore} is a time (epoch ms) whose writes the read must include: a replica serves it
 * only once it has applied a heartbeat written after that time. Zero: anything within the lag budget will do.
 * {@code everythingCommitted}: the read must include every write committed before it began (nobody knows which of
 * them matter to its readers); a replica serves it once it has applied the primary's position ({@link PrimaryPosition}).
 */
public record Freshness(long notBefore, boolean everythingCommitted) {

    /** A replica within {@code TEACHTRACK_READ_MAX_LAG_SECONDS} will do (unless the reader wrote recently). */
    public static final Freshness ANY = new Freshness(0);
    /** Only the primary. */
    public static final Freshness PRIMARY = new Freshness(Long.MAX_VALUE);
    /** Everything committed before the read began: a replica that has applied the primary's current position. */
    public static final Freshness CURRENT = new Freshness(0, true);

    public Freshness(long notBefore) {
        this(notBefore, false);
    }

    /** Must include what was committed up to {@code writtenAt}. */
    public static Freshness after(long writtenAt) {
        return new Freshness(writtenAt);
    }

    public boolean primaryOnly() {
        return notBefore == Long.MAX_VALUE;
    }
}
