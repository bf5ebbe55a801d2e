package io.teachtrack.operator.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

/**
 * Reconcile counts, errors and durations at /q/metrics, fed by the operator SDK's monitoring hook around
 * every controller execution (the workflow and the status update together):
 * {@code teachtrack_reconciliations_total}, {@code teachtrack_reconciliation_errors_total} and the timer
 * {@code teachtrack_reconciliation_seconds{execution, outcome}}.
 */
@Singleton
public class ReconcileMetrics implements Metrics {

    private final MeterRegistry registry;
    private final Counter executions;
    private final Counter errors;

    public ReconcileMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.executions = Counter.builder("teachtrack.reconciliations")
                .description("Controller executions (reconciliations and clean-ups)").register(registry);
        this.errors = Counter.builder("teachtrack.reconciliation.errors")
                .description("Controller executions that failed and will be retried").register(registry);
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
        Timer.Sample sample = Timer.start(registry);
        executions.increment();
        String outcome = "error";
        try {
            T result = execution.execute();
            outcome = execution.successTypeName(result);
            return result;
        } catch (Exception e) {
            errors.increment();
            throw e;
        } finally {
            sample.stop(Timer.builder("teachtrack.reconciliation").description("Time of one controller execution")
                    .tag("execution", execution.name()).tag("outcome", outcome)
                    .register(registry));
        }
    }
}
