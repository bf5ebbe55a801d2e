package io.teachtrack.operator.dependent.redis;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.dependent.TeachTrackDependent;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.model.RedisModel;

/** {@code <n>-redis}: the cache's Service; only while the cache is enabled. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class RedisServiceDependent extends TeachTrackDependent<Service> {

    public RedisServiceDependent() {
        super(Service.class, Names::redis);
    }

    @Override
    protected Service desired(TeachTrack primary, Context<TeachTrack> context) {
        return RedisModel.service(primary);
    }
}
