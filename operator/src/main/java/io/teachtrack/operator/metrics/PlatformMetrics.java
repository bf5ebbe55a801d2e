package io.teachtrack.operator.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.teachtrack.operator.api.v1alpha1.TeachTrackStatus;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-TeachTrack gauges at /q/metrics ({@link PlatformGauges} says which), from each reconcile's status. A TeachTrack
 * that is gone loses its series at the next reconcile of any other.
 */
@Singleton
public class PlatformMetrics {

    private final Map<String, PlatformGauges.Platform> platforms = new LinkedHashMap<>();
    private final Map<PlatformGauges.Gauge, MultiGauge> gauges = new EnumMap<>(PlatformGauges.Gauge.class);

    public PlatformMetrics(MeterRegistry registry) {
        for (PlatformGauges.Gauge gauge : PlatformGauges.Gauge.values()) {
            gauges.put(gauge, MultiGauge.builder(gauge.meter()).description(gauge.description()).register(registry));
        }
    }

    /**
     * Records the status a reconcile computed; {@code succeededAt} is null when the reconcile failed (the last success
     * then stays what it was).
     */
    public synchronized void observed(String namespace, String name, TeachTrackStatus status, Instant succeededAt) {
        String key = namespace + "/" + name;
        PlatformGauges.Platform before = platforms.get(key);
        Instant lastSuccess = succeededAt != null ? succeededAt : before == null ? null : before.lastSuccess();
        platforms.put(key, new PlatformGauges.Platform(namespace, name, status, lastSuccess));
        publish();
    }

    /** Drops the series of every TeachTrack not in {@code existing} ("namespace/name"). */
    public synchronized void retainOnly(Collection<String> existing) {
        Set<String> keep = new HashSet<>(existing);
        if (platforms.keySet().retainAll(keep)) {
            publish();
        }
    }

    private void publish() {
        PlatformGauges.of(platforms.values()).forEach((gauge, samples) -> {
            List<MultiGauge.Row<?>> rows = new ArrayList<>(samples.size());
            for (PlatformGauges.Sample sample : samples) {
                rows.add(MultiGauge.Row.of(sample.tags(), sample.value()));
            }
            gauges.get(gauge).register(rows, true);
        });
    }
}
