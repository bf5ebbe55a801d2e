package io.teachtrack.operator.dependent.mysql;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.dependent.TeachTrackDependent;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.MysqlModel;
import io.teachtrack.operator.model.MysqlRole;
import io.teachtrack.operator.model.Names;

/** {@code <n>-mysql-replicas}: the Service for reads, selecting the pods labelled role=replica. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MysqlReplicasServiceDependent extends TeachTrackDependent<Service> {

    public MysqlReplicasServiceDependent() {
        super(Service.class, Names::mysqlReplicas);
    }

    @Override
    protected Service desired(TeachTrack primary, Context<TeachTrack> context) {
        return MysqlModel.roleService(primary, MysqlRole.REPLICA);
    }
}
