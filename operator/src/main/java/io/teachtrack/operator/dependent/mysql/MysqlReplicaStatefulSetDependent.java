package io.teachtrack.operator.dependent.mysql;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.MysqlRole;
import io.teachtrack.operator.model.Names;

/** {@code <n>-mysql-replica}: the StatefulSet of the read replicas, {@code spec.mysql.replicas} pods. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MysqlReplicaStatefulSetDependent extends MysqlStatefulSetDependent {

    public MysqlReplicaStatefulSetDependent() {
        super(MysqlRole.REPLICA, Names::mysqlReplica);
    }
}
