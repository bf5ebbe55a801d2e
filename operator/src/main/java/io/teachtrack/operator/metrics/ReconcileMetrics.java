package io.teachtrack.operator.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * Reconcile counts, errors and durations at /q/metrics, fed by the operator SDK's monitoring hooks:
 * {@code teachtrack_reconciliations_total}, {@code teachtrack_reconciliation_errors_total},
 * {@code teachtrack_reconciliation_seconds} (the whole controller execution: workflow and status).
 */
@Singleton
public class ReconcileMetrics implements Metrics {

    private final MeterRegistry registry;
    private final Counter started;
    private final Counter succeeded;
    private final Counter failed;

    public ReconcileMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.started = Counter.builder("teachtrack.reconciliations").description("Reconciliations started")
                .register(registry);
        this.succeeded = Counter.builder("teachtrack.reconciliations.succeeded").description("Reconciliations that succeeded")
                .register(registry);
        this.failed = Counter.builder("teachtrack.reconciliation.errors").description("Reconciliations that failed (and will be retried)")
                .register(registry);
    }

    @Override
    public void reconciliationStarted(HasMetadata resource, Map<String, Object> metadata) {
        started.increment();
    }

    @Override
    public void reconciliationSucceeded(HasMetadata resource, Map<String, Object> metadata) {
        succeeded.increment();
    }

    @Override
    public void reconciliationFailed(HasMetadata resource, RetryInfo retryInfo, Exception exception, Map<String, Object> metadata) {
        failed.increment();
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "error";
        try {
            T result = execution.execute();
            outcome = execution.successTypeName(result);
            return result;
        } finally {
            sample.stop(Timer.builder("teachtrack.reconciliation").description("Time of one controller execution")
                    .tag("execution", execution.name()).tag("outcome", outcome)
                    .register(registry));
        }
    }
}
