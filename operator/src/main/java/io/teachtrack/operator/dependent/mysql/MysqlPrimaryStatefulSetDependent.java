package io.teachtrack.operator.dependent.mysql;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.teachtrack.operator.config.OperatorSettings;
import io.teachtrack.operator.model.MysqlModel;
import io.teachtrack.operator.model.MysqlRole;
import jakarta.inject.Inject;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.dependent.TeachTrackDependent;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.Names;

/** {@code <n>-mysql-primary}: the StatefulSet of the single primary pod. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MysqlPrimaryStatefulSetDependent extends TeachTrackDependent<StatefulSet> {

    @Inject
    OperatorSettings settings;

    public MysqlPrimaryStatefulSetDependent() {
        super(StatefulSet.class, Names::mysqlPrimary);
    }

    @Override
    protected StatefulSet desired(TeachTrack primary, Context<TeachTrack> context) {
        return MysqlModel.statefulSet(primary, MysqlRole.PRIMARY, settings.platformDefaults(),
                getSecondaryResource(primary, context).orElse(null));
    }
}
