package io.teachtrack.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The platform's own metrics, next to the JVM, HTTP and pool metrics Quarkus and Hikari publish:
 * {@code teachtrack_cache_requests_total{result}}, {@code teachtrack_db_routes_total{target,reason}},
 * {@code teachtrack_replica_lag_seconds}, {@code teachtrack_replicas_reachable}, {@code teachtrack_primary_reachable},
 * {@code teachtrack_jobs_queue_depth}, {@code teachtrack_jobs_total{outcome}}.
 */
@ApplicationScoped
public class AppMetrics {

    private static final String CACHE_REQUESTS = "teachtrack.cache.requests";
    private static final String CACHE_DESCRIPTION = "Cache lookups by result";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public AppMetrics(MeterRegistry registry) {
        this.registry = registry;
        // The series alerts and dashboards divide by exist from the start, at 0, instead of after the first lookup.
        for (String result : List.of("hit", "miss", "error")) {
            counter(CACHE_REQUESTS, CACHE_DESCRIPTION, "result", result);
        }
    }

    /**
     * Lookups: hit, miss, error (Redis did not answer); then for each miss or error: load (led one) or coalesced
     * (shared one); after writes: amended (a view amended in place), amendment_dropped (dropped instead),
     * invalidation_deferred.
     */
    public void cache(String result) {
        counter(CACHE_REQUESTS, CACHE_DESCRIPTION, "result", result).increment();
    }

    /** Logins: succeeded, failed, refused_user (a name that failed too often), refused_busy (the pod's hashing budget). */
    public void login(String outcome) {
        counter("teachtrack.logins", "Login attempts by outcome", "outcome", outcome).increment();
    }

    public void route(String target, String reason) {
        counters.computeIfAbsent("route/" + target + "/" + reason, k -> Counter.builder("teachtrack.db.routes")
                .description("Database statements routed, by target and reason")
                .tag("target", target).tag("reason", reason).register(registry)).increment();
    }

    public void job(String outcome) {
        counter("teachtrack.jobs", "Job attempts by outcome", "outcome", outcome).increment();
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    public double count(String name, String tag, String value) {
        Counter counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    private Counter counter(String name, String description, String tag, String value) {
        return counters.computeIfAbsent(name + "/" + value,
                k -> Counter.builder(name).description(description).tag(tag, value).register(registry));
    }
}
