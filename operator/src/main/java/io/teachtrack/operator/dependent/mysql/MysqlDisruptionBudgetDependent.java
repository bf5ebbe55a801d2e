package io.teachtrack.operator.dependent.mysql;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.dependent.TeachTrackDependent;
import io.teachtrack.operator.model.DisruptionBudgetModel;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.Names;

/** {@code <n>-mysql}: at most one MySQL server evicted at a time. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MysqlDisruptionBudgetDependent extends TeachTrackDependent<PodDisruptionBudget> {

    public MysqlDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class, Names::mysql);
    }

    @Override
    protected PodDisruptionBudget desired(TeachTrack primary, Context<TeachTrack> context) {
        return DisruptionBudgetModel.mysql(primary);
    }
}
