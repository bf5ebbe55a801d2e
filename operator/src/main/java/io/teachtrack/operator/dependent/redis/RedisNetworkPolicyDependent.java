package io.teachtrack.operator.dependent.redis;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.dependent.TeachTrackDependent;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.model.NetworkPolicyModel;

/** {@code <n>-redis}: only the API and workers reach Redis; only while the cache is enabled. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class RedisNetworkPolicyDependent extends TeachTrackDependent<NetworkPolicy> {

    public RedisNetworkPolicyDependent() {
        super(NetworkPolicy.class, Names::redis);
    }

    @Override
    protected NetworkPolicy desired(TeachTrack primary, Context<TeachTrack> context) {
        return NetworkPolicyModel.redis(primary);
    }
}
