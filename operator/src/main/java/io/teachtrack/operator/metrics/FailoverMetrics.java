package io.teachtrack.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/** {@code teachtrack_failovers_total{namespace, name}}: replicas promoted because a primary was lost. */
@Singleton
public class FailoverMetrics {

    private final MeterRegistry registry;

    public FailoverMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void failedOver(String namespace, String name) {
        Counter.builder("teachtrack.failovers").description("Replicas promoted because the primary was lost")
                .tag("namespace", namespace).tag("name", name).register(registry).increment();
    }
}
