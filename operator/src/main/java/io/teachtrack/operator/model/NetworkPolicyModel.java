package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

import java.util.Arrays;
import java.util.List;

/**
 * NetworkPolicies: only this TeachTrack's API and worker pods (and, for MySQL, its other MySQL pods, which
 * replicate from the primary) and the operator's own pods may connect to MySQL and Redis.
 */
public final class NetworkPolicyModel {

    private NetworkPolicyModel() {
    }

    public static NetworkPolicy mysql(TeachTrack tt) {
        return of(tt, Names.mysql(tt), Component.MYSQL, Names.MYSQL_PORT, Component.API, Component.WORKER, Component.MYSQL);
    }

    public static NetworkPolicy redis(TeachTrack tt) {
        return of(tt, Names.redis(tt), Component.REDIS, Names.REDIS_PORT, Component.API, Component.WORKER);
    }

    private static NetworkPolicy of(TeachTrack tt, String name, Component target, int port, Component... clients) {
        List<String> clientLabels = Arrays.stream(clients).map(Component::label).toList();
        NetworkPolicyPeer sameInstance = new NetworkPolicyPeerBuilder()
                .withPodSelector(new LabelSelectorBuilder()
                        .addToMatchLabels(Labels.INSTANCE, tt.getMetadata().getName())
                        .addNewMatchExpression().withKey(Labels.COMPONENT).withOperator("In").withValues(clientLabels)
                        .endMatchExpression()
                        .build())
                .build();
        // The operator may run in any namespace; it is recognised by its pods' name label.
        NetworkPolicyPeer operator = new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(new LabelSelectorBuilder().build())
                .withPodSelector(new LabelSelectorBuilder().addToMatchLabels(Labels.NAME, Labels.OPERATOR_APP_NAME).build())
                .build();
        return new NetworkPolicyBuilder()
                .withMetadata(ObjectMetas.of(tt, name, Labels.common(tt, target)))
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(Labels.selector(tt, target)).endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress()
                .withFrom(sameInstance, operator)
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(port)).endPort()
                .endIngress()
                .endSpec()
                .build();
    }
}
