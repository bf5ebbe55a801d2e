package io.teachtrack.operator.dependent.redis;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.config.OperatorSettings;
import io.teachtrack.operator.dependent.PodCredentials;
import io.teachtrack.operator.dependent.TeachTrackDependent;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.model.RedisModel;
import jakarta.inject.Inject;

/** {@code <n>-redis}: the cache; only while the cache is enabled. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class RedisDeploymentDependent extends TeachTrackDependent<Deployment> {

    @Inject
    OperatorSettings settings;

    public RedisDeploymentDependent() {
        super(Deployment.class, Names::redis);
    }

    @Override
    protected Deployment desired(TeachTrack primary, Context<TeachTrack> context) {
        return PodCredentials.stampRedisPod(RedisModel.deployment(primary, settings.platformDefaults()), primary, context);
    }
}
