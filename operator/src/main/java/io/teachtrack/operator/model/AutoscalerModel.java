package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.teachtrack.operator.api.v1alpha1.AutoscalingSpec;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

import java.util.ArrayList;
import java.util.List;

/** autoscaling/v2 HorizontalPodAutoscalers of the API and worker Deployments; metrics always CPU, then memory. */
public final class AutoscalerModel {

    private AutoscalerModel() {
    }

    public static HorizontalPodAutoscaler api(TeachTrack tt) {
        return of(tt, Component.API, Names.api(tt), tt.getSpec().getApi().getAutoscaling());
    }

    public static HorizontalPodAutoscaler worker(TeachTrack tt) {
        return of(tt, Component.WORKER, Names.worker(tt), tt.getSpec().getWorker().getAutoscaling());
    }

    private static HorizontalPodAutoscaler of(TeachTrack tt, Component component, String deployment, AutoscalingSpec spec) {
        List<MetricSpec> metrics = new ArrayList<>();
        metrics.add(utilisation("cpu", spec.getTargetCPUUtilization()));
        if (spec.getTargetMemoryUtilization() != null) {
            metrics.add(utilisation("memory", spec.getTargetMemoryUtilization()));
        }
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
