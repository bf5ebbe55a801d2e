package io.teachtrack.api.jobs;

import io.quarkus.runtime.ShutdownEvent;
import io.teachtrack.api.config.AppConfig;
import io.teachtrack.api.db.SchemaMigrations;
import io.teachtrack.api.metrics.AppMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The worker role's loop: claim a job, keep its lease alive while it runs, record the result. On shutdown it stops
 * claiming, lets the current job finish for a while, and otherwise hands it back at once.
 */
@ApplicationScoped
public class JobWorker {

    private static final Logger LOG = Logger.getLogger(JobWorker.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(15);

    private final JobQueue queue;
    private final Map<String, JobHandler> handlers;
    private final AppConfig config;
    private final AppMetrics metrics;
    private final String workerId;
    private final ScheduledExecutorService leases = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("job-lease").daemon().factory());
    private volatile boolean running;
    private volatile Thread loop;
    private volatile JobQueue.Claim current;

    public JobWorker(JobQueue queue, Instance<JobHandler> handlers, AppConfig config, AppMetrics metrics) {
        this.queue = queue;
        this.handlers = handlers.stream().collect(Collectors.toMap(JobHandler::type, Function.identity()));
        this.config = config;
        this.metrics = metrics;
        this.workerId = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("worker") + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    void start(@Observes SchemaMigrations.SchemaReady ready) {
        if (config.role() != AppConfig.Role.worker) {
            return;
        }
        running = true;
        loop = Thread.ofPlatform().name("job-worker").start(this::work);
        LOG.infof("worker %s started", workerId);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        Thread thread = loop;
        if (thread == null) {
            return;
        }
        try {
            thread.join(SHUTDOWN_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        JobQueue.Claim unfinished = current;
        if (thread.isAlive() && unfinished != null) {
            LOG.infof("handing job %d back on shutdown", unfinished.job().id());
            queue.release(unfinished);
            thread.interrupt();
        }
        leases.shutdownNow();
    }

    public String workerId() {
        return workerId;
    }

    private void work() {
        while (running) {
            try {
                Optional<JobQueue.Claim> claim = queue.claim(workerId, config.worker().lease());
                if (claim.isPresent()) {
                    run(claim.get());
                } else {
                    Thread.sleep(config.worker().pollInterval());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("job loop: %s", e.getMessage());
                sleepQuietly(config.worker().pollInterval());
            }
        }
    }

    private void run(JobQueue.Claim claim) throws InterruptedException {
        current = claim;
        Duration lease = config.worker().lease();
        long renewEvery = Math.max(100, lease.toMillis() / 3);
        ScheduledFuture<?> renewal = leases.scheduleAtFixedRate(() -> renew(claim, lease), renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        try {
            Thread.sleep(config.worker().simulatedWork());
            JobHandler handler = handlers.get(claim.job().type());
            if (handler == null) {
                throw new IllegalArgumentException("no handler for job type " + claim.job().type());
            }
            String result = handler.run(claim.job());
            renewal.cancel(false);
            boolean recorded = queue.complete(claim, workerId, result);
            metrics.job(recorded ? "done" : "lost_claim");
            LOG.infof("job %d %s (attempt %d)", claim.job().id(), recorded ? "done" : "finished after its claim was lost", claim.job().attempts());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            renewal.cancel(false);
            boolean recorded = queue.fail(claim, e.getClass().getSimpleName() + ": " + e.getMessage());
            metrics.job(recorded ? "failed_attempt" : "lost_claim");
            LOG.warnf("job %d attempt %d failed: %s", claim.job().id(), claim.job().attempts(), e.getMessage());
        } finally {
            renewal.cancel(false);
            current = null;
        }
    }

    private void renew(JobQueue.Claim claim, Duration lease) {
        try {
            if (!queue.renew(claim, lease)) {
                LOG.warnf("lost the claim on job %d", claim.job().id());
            }
        } catch (RuntimeException e) {
            LOG.debugf("lease renewal failed: %s", e.getMessage());
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
