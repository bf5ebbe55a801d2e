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

/** {@code <n>-mysql-replica}: the StatefulSet of the read replicas, {@code spec.mysql.replicas} pods. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MysqlReplicaStatefulSetDependent extends TeachTrackDependent<StatefulSet> {

    @Inject
    OperatorSettings settings;

    public MysqlReplicaStatefulSetDependent() {
        super(StatefulSet.class, Names::mysqlReplica);
    }

    @Override
    protected StatefulSet desired(TeachTrack primary, Context<TeachTrack> context) {
        return MysqlModel.statefulSet(primary, MysqlRole.REPLICA, settings.platformDefaults(),
                getSecondaryResource(primary, context).orElse(null));
    }
}
