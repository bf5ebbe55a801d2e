package io.teachtrack.operator.dependent.mysql;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.config.OperatorSettings;
import io.teachtrack.operator.dependent.TeachTrackDependent;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.model.NetworkPolicyModel;
import jakarta.inject.Inject;

/** {@code <n>-mysql}: only the API, workers, the other MySQL pods and the operator (from its namespace) reach MySQL. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MysqlNetworkPolicyDependent extends TeachTrackDependent<NetworkPolicy> {

    @Inject
    OperatorSettings settings;

    public MysqlNetworkPolicyDependent() {
        super(NetworkPolicy.class, Names::mysql);
    }

    @Override
    protected NetworkPolicy desired(TeachTrack primary, Context<TeachTrack> context) {
        return NetworkPolicyModel.mysql(primary, settings.operatorNamespace());
    }
}
