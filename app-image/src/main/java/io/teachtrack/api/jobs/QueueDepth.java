package io.teachtrack.api.jobs;

import io.quarkus.scheduler.Scheduled;
import io.teachtrack.api.db.SchemaMigrations;
import io.teachtrack.api.metrics.AppMetrics;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicLong;

/** Publishes {@code teachtrack_jobs_queue_depth}, the signal to scale workers on. */
@ApplicationScoped
public class QueueDepth {

    private final JobQueue queue;
    private final SchemaMigrations schema;
    private final AtomicLong depth = new AtomicLong();

    public QueueDepth(JobQueue queue, SchemaMigrations schema, AppMetrics metrics) {
        this.queue = queue;
        this.schema = schema;
        metrics.gauge("teachtrack.jobs.queue.depth", "Jobs waiting to run", depth::get);
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        if (!schema.isDone()) {
            return;
        }
        try {
            depth.set(queue.depth());
        } catch (RuntimeException e) {
            // the primary is down; readiness says so, the gauge keeps its last value
        }
    }
}
