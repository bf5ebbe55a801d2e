package io.teachtrack.api.jobs;

import java.time.Instant;

/** A job as stored. {@code claimToken} fences completion: only the latest claim may finish the job. */
public record Job(long id, String type, String params, JobStatus status, int attempts, String claimedBy, String claimToken,
                  String completedBy, String result, String error, long createdBy, Instant createdAt, Instant updatedAt) {
}
