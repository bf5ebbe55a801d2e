package io.teachtrack.operator.dependent.mysql;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.dependent.TeachTrackDependent;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.MysqlConfigModel;
import io.teachtrack.operator.model.Names;

/** {@code <n>-mysql-config}: my.cnf fragments per engine and role, and the start script. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MysqlConfigMapDependent extends TeachTrackDependent<ConfigMap> {

    public MysqlConfigMapDependent() {
        super(ConfigMap.class, Names::mysqlConfig);
    }

    @Override
    protected ConfigMap desired(TeachTrack primary, Context<TeachTrack> context) {
        return MysqlConfigModel.desired(primary);
    }
}
