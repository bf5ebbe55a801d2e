package io.teachtrack.operator.dependent.worker;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.dependent.TeachTrackDependent;
import io.teachtrack.operator.model.AutoscalerModel;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.Names;

/** {@code <n>-worker}: the workers' HorizontalPodAutoscaler; only while autoscaling is enabled. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class WorkerAutoscalerDependent extends TeachTrackDependent<HorizontalPodAutoscaler> {

    public WorkerAutoscalerDependent() {
        super(HorizontalPodAutoscaler.class, Names::worker);
    }

    @Override
    protected HorizontalPodAutoscaler desired(TeachTrack primary, Context<TeachTrack> context) {
        return AutoscalerModel.worker(primary);
    }
}
