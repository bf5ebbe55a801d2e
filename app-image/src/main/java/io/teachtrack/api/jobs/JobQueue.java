package io.teachtrack.api.jobs;

import io.teachtrack.api.config.AppConfig;
import io.teachtrack.api.db.DatabaseRouter;
import io.teachtrack.api.db.Freshness;
import jakarta.enterprise.context.ApplicationScoped;
import org.jdbi.v3.core.Handle;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The durable job queue, a MySQL table. Workers claim with {@code SELECT ... FOR UPDATE SKIP LOCKED}, so many workers
 * never take the same job and never wait on each other. A claim is a lease: a worker that dies stops renewing it and
 * the job is claimed again once it runs out. Every claim gets a new token, and completing, failing or renewing require
 * the current token, so a worker that lost its lease can never finish a job someone else now owns.
 */
@ApplicationScoped
public class JobQueue {

    private static final String COLUMNS = "id, type, params, status, attempts, claimed_by, claim_token, completed_by, result, error, created_by, created_at, updated_at";
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private final DatabaseRouter db;
    private final int maxAttempts;

    public JobQueue(DatabaseRouter db, AppConfig config) {
        this.db = db;
        this.maxAttempts = config.worker().maxAttempts();
    }

    /**
     * The job that fell due first. Read in the order of the index {@code (status, run_after)} (whose entries end with
     * the id), so the scan stops at the first row no other worker holds, and that row is the only one this locks —
     * however many jobs are due, done or backing off (JobClaimTest proves it on 150,000 rows with EXPLAIN and the
     * transaction's lock count).
     */
    static final String NEXT_DUE = """
            SELECT id, attempts FROM jobs WHERE status = 'QUEUED' AND run_after <= NOW(3)
            ORDER BY run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED""";
    /** The job whose worker stopped renewing its lease longest ago, by the index {@code (status, lease_until)}. */
    static final String NEXT_EXPIRED = """
            SELECT id, attempts FROM jobs WHERE status = 'RUNNING' AND lease_until < NOW(3)
            ORDER BY lease_until, id LIMIT 1 FOR UPDATE SKIP LOCKED""";

    /** A job that may be claimed, and how often it was claimed before. */
    public record Candidate(long id, int attempts) {
    }

    /** A job this worker holds: its row as claimed, and the token that proves it. */
    public record Claim(Job job, String token) {
    }

    public long enqueue(Handle handle, String type, String params, long createdBy) {
        return handle.createUpdate("INSERT INTO jobs (type, params, status, created_by) VALUES (:type, :params, 'QUEUED', :createdBy)")
                .bind("type", type).bind("params", params).bind("createdBy", createdBy)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public Optional<Job> find(Long reader, long id) {
        return db.read(reader, Freshness.ANY, handle -> handle.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE id = :id")
                .bind("id", id).mapTo(Job.class).findOne());
    }

    /** The next runnable job (queued and due, or running with an expired lease), claimed for {@code worker}. */
    public Optional<Claim> claim(String worker, Duration lease) {
        return db.write(handle -> {
            // Expired leases first: their number is bounded (each is claimed anew), so new jobs wait for them only
            // briefly, while a steady stream of new jobs would otherwise keep them waiting for ever.
            Optional<Candidate> next = handle.createQuery(NEXT_EXPIRED).mapTo(Candidate.class).findOne()
                    .or(() -> handle.createQuery(NEXT_DUE).mapTo(Candidate.class).findOne());
            if (next.isEmpty()) {
                return Optional.empty();
            }
            long id = next.get().id();
            if (next.get().attempts() >= maxAttempts) {
                // Its workers kept dying (or timing out) on it: stop handing it out.
                handle.createUpdate("UPDATE jobs SET status = 'FAILED', lease_until = NULL, error = :error WHERE id = :id")
                        .bind("error", "no worker finished it in " + next.get().attempts() + " attempts").bind("id", id).execute();
                return Optional.empty();
            }
            String token = UUID.randomUUID().toString();
            handle.createUpdate("""
                            UPDATE jobs SET status = 'RUNNING', attempts = attempts + 1, claimed_by = :worker, claim_token = :token,
                                            lease_until = TIMESTAMPADD(MICROSECOND, :leaseMicros, NOW(3))
                            WHERE id = :id""")
                    .bind("worker", worker).bind("token", token).bind("leaseMicros", lease.toNanos() / 1000).bind("id", id)
                    .execute();
            Job job = handle.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE id = :id").bind("id", id).mapTo(Job.class).one();
            return Optional.of(new Claim(job, token));
        });
    }

    /** Extends the lease; false when the claim was lost (expired and taken by another worker). */
    public boolean renew(Claim claim, Duration lease) {
        return db.write(handle -> handle.createUpdate("""
                        UPDATE jobs SET lease_until = TIMESTAMPADD(MICROSECOND, :leaseMicros, NOW(3))
                        WHERE id = :id AND claim_token = :token AND status = 'RUNNING'""")
                .bind("leaseMicros", lease.toNanos() / 1000).bind("id", claim.job().id()).bind("token", claim.token())
                .execute()) == 1;
    }

    /** Records the result; false (and nothing written) when the claim is no longer this worker's. */
    public boolean complete(Claim claim, String worker, String result) {
        return db.write(handle -> handle.createUpdate("""
                        UPDATE jobs SET status = 'DONE', result = :result, completed_by = :worker, lease_until = NULL, error = NULL
                        WHERE id = :id AND claim_token = :token AND status = 'RUNNING'""")
                .bind("result", result).bind("worker", worker).bind("id", claim.job().id()).bind("token", claim.token())
                .execute()) == 1;
    }

    /** A failed attempt: retried with exponential backoff, or failed for good after the last attempt. */
    public boolean fail(Claim claim, String error) {
        boolean last = claim.job().attempts() >= maxAttempts;
        Duration backoff = backoff(claim.job().attempts());
        return db.write(handle -> handle.createUpdate("""
                        UPDATE jobs SET status = :status, error = :error, lease_until = NULL,
                                        run_after = TIMESTAMPADD(MICROSECOND, :backoffMicros, NOW(3))
                        WHERE id = :id AND claim_token = :token AND status = 'RUNNING'""")
                .bind("status", last ? JobStatus.FAILED.name() : JobStatus.QUEUED.name())
                .bind("error", error.length() > 1000 ? error.substring(0, 1000) : error)
                .bind("backoffMicros", backoff.toNanos() / 1000).bind("id", claim.job().id()).bind("token", claim.token())
                .execute()) == 1;
    }

    /** Gives a job back at once (graceful shutdown), without waiting for the lease to run out. */
    public void release(Claim claim) {
        db.write(handle -> handle.createUpdate("""
                        UPDATE jobs SET status = 'QUEUED', lease_until = NULL, run_after = NOW(3)
                        WHERE id = :id AND claim_token = :token AND status = 'RUNNING'""")
                .bind("id", claim.job().id()).bind("token", claim.token()).execute());
    }

    /** Jobs waiting to run. */
    public long depth() {
        return db.primary().withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM jobs WHERE status = 'QUEUED'")
                .mapTo(Long.class).one());
    }

    static Duration backoff(int attempts) {
        Duration delay = Duration.ofSeconds(1L << Math.min(Math.max(attempts - 1, 0), 20));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    int maxAttempts() {
        return maxAttempts;
    }
}
