package io.teachtrack.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code teachtrack_failovers_total{namespace, name}}: replicas promoted because a primary was lost;
 * {@code teachtrack_switchovers_total{namespace, name, result}}: planned hand-overs of the primary (requested, or a
 * rolling update's), Completed or Failed.
 */
@Singleton
public class FailoverMetrics {

    private static final String FAILOVERS = "teachtrack.failovers";
    private static final String SWITCHOVERS = "teachtrack.switchovers";
    /** What a switchover ends as (ReplicationPlan.Switchover's outcomes; named here to keep metrics free of replication). */
    private static final List<String> SWITCHOVER_RESULTS = List.of("Completed", "Failed");

    private final MeterRegistry registry;
    /** The TeachTracks ("namespace/name") whose counters exist: a reconcile of a known one touches no meter. */
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    public FailoverMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers a TeachTrack's counters at 0: an alert on increase() sees its first failover, not only its second. */
    public void register(String namespace, String name) {
        if (!registered.add(namespace + "/" + name)) {
            return;
        }
        failovers(namespace, name);
        for (String result : SWITCHOVER_RESULTS) {
            switchovers(namespace, name, result);
        }
    }

    /** Removes the counters of every TeachTrack not in {@code existing} ("namespace/name"). */
    public void retainOnly(Collection<String> existing) {
        Set<String> keep = new HashSet<>(existing);
        if (!registered.retainAll(keep)) {
            return;
        }
        for (Meter meter : List.copyOf(registry.getMeters())) {
            String metric = meter.getId().getName();
            if ((metric.equals(FAILOVERS) || metric.equals(SWITCHOVERS))
                    && !keep.contains(meter.getId().getTag("namespace") + "/" + meter.getId().getTag("name"))) {
                registry.remove(meter);
            }
        }
    }

    public void failedOver(String namespace, String name) {
        failovers(namespace, name).increment();
    }

    public void switchedOver(String namespace, String name, String result) {
        switchovers(namespace, name, result).increment();
    }

    private Counter failovers(String namespace, String name) {
        return Counter.builder(FAILOVERS).description("Replicas promoted because the primary was lost")
                .tag("namespace", namespace).tag("name", name).register(registry);
    }

    private Counter switchovers(String namespace, String name, String result) {
        return Counter.builder(SWITCHOVERS).description("Planned hand-overs of the primary, by result")
                .tag("namespace", namespace).tag("name", name).tag("result", result).register(registry);
    }
}
