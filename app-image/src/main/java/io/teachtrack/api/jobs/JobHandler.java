package io.teachtrack.api.jobs;

/** Runs one type of job. Handlers must be safe to run again after a crash: only the final result is recorded. */
public interface JobHandler {

    String type();

    /** Returns the result as JSON. */
    String run(Job job) throws Exception;
}
