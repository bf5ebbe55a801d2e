package io.teachtrack.operator.dependent.api;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.dependent.TeachTrackDependent;
import io.teachtrack.operator.model.AppModel;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.Names;

/** {@code <n>-api}: the API's Service on port 8080. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ApiServiceDependent extends TeachTrackDependent<Service> {

    public ApiServiceDependent() {
        super(Service.class, Names::api);
    }

    @Override
    protected Service desired(TeachTrack primary, Context<TeachTrack> context) {
        return AppModel.apiService(primary);
    }
}
