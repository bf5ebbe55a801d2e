package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.teachtrack.operator.api.v1alpha1.ApiAutoscalingSpec;
import io.teachtrack.operator.api.v1alpha1.AutoscalingSpec;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.api.v1alpha1.WorkerAutoscalingSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * autoscaling/v2 HorizontalPodAutoscalers of the API and worker Deployments; metrics in a stable order: CPU, then
 * memory, then (API only) requests per second.
 */
public final class AutoscalerModel {

    /** The Pods metric a custom metrics adapter serves from the API's http_server_requests_seconds_count. */
    public static final String REQUESTS_PER_SECOND = "http_server_requests_per_second";

    private AutoscalerModel() {
    }

    public static HorizontalPodAutoscaler api(TeachTrack tt) {
        ApiAutoscalingSpec spec = tt.getSpec().getApi().getAutoscaling();
        List<MetricSpec> metrics = resourceMetrics(spec);
        if (spec.getTargetRequestsPerSecond() != null) {
            metrics.add(new MetricSpecBuilder().withType("Pods")
                    .withNewPods()
                    .withNewMetric().withName(REQUESTS_PER_SECOND).endMetric()
                    .withNewTarget().withType("AverageValue").withAverageValue(new Quantity(String.valueOf(spec.getTargetRequestsPerSecond())))
                    .endTarget()
                    .endPods()
                    .build());
        }
        return of(tt, Component.API, Names.api(tt), spec, metrics);
    }

    public static HorizontalPodAutoscaler worker(TeachTrack tt) {
        WorkerAutoscalingSpec spec = tt.getSpec().getWorker().getAutoscaling();
        return of(tt, Component.WORKER, Names.worker(tt), spec, resourceMetrics(spec));
    }

    private static List<MetricSpec> resourceMetrics(AutoscalingSpec spec) {
        List<MetricSpec> metrics = new ArrayList<>();
        metrics.add(utilisation("cpu", spec.getTargetCPUUtilization()));
        if (spec.getTargetMemoryUtilization() != null) {
            metrics.add(utilisation("memory", spec.getTargetMemoryUtilization()));
        }
        return metrics;
    }

    private static HorizontalPodAutoscaler of(TeachTrack tt, Component component, String deployment, AutoscalingSpec spec,
                                              List<MetricSpec> metrics) {
        return new HorizontalPodAutoscalerBuilder()
                .withMetadata(ObjectMetas.of(tt, deployment, Labels.common(tt, component)))
                .withNewSpec()
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(deployment).endScaleTargetRef()
                .withMinReplicas(spec.getMinReplicas())
                .withMaxReplicas(spec.getMaxReplicas())
                .withMetrics(metrics)
                .endSpec()
                .build();
    }

    private static MetricSpec utilisation(String resource, int percent) {
        return new MetricSpecBuilder().withType("Resource")
                .withNewResource().withName(resource)
                .withNewTarget().withType("Utilization").withAverageUtilization(percent).endTarget()
                .endResource()
                .build();
    }
}
