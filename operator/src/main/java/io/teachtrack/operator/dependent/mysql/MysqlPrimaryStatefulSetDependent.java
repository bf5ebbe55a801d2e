package io.teachtrack.operator.dependent.mysql;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.MysqlRole;
import io.teachtrack.operator.model.Names;

/** {@code <n>-mysql-primary}: the StatefulSet of the single primary pod. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MysqlPrimaryStatefulSetDependent extends MysqlStatefulSetDependent {

    public MysqlPrimaryStatefulSetDependent() {
        super(MysqlRole.PRIMARY, Names::mysqlPrimary);
    }
}
