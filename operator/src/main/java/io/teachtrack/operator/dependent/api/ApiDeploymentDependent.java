package io.teachtrack.operator.dependent.api;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.config.OperatorSettings;
import io.teachtrack.operator.dependent.PodCredentials;
import io.teachtrack.operator.dependent.ScaledDeploymentDependent;
import io.teachtrack.operator.model.AppModel;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.Names;
import jakarta.inject.Inject;

/** {@code <n>-api}: the REST API pods; pod count patched on its own (see ScaledDeploymentDependent). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ApiDeploymentDependent extends ScaledDeploymentDependent {

    @Inject
    OperatorSettings settings;

    public ApiDeploymentDependent() {
        super(Names::api, tt -> tt.getSpec().getApi().getAutoscaling(), tt -> tt.getSpec().getApi().getReplicas());
    }

    @Override
    protected Deployment desired(TeachTrack primary, Context<TeachTrack> context) {
        return PodCredentials.stampAppPods(AppModel.api(primary, settings.platformDefaults()), primary, context);
    }
}
