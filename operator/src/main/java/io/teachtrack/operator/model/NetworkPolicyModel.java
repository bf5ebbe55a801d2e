package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * NetworkPolicies: only this TeachTrack's API and worker pods (and, for MySQL, its other MySQL pods, which replicate
 * from the primary) may connect to MySQL and Redis, and to MySQL the operator's pods <em>in the operator's namespace</em>
 * too. A label alone admits nobody from elsewhere: anyone may label a pod, but only the operator's installer may run
 * pods in its namespace. The operator never connects to Redis, so Redis admits no operator at all.
 */
public final class NetworkPolicyModel {

    /** The label Kubernetes gives every namespace, with the namespace's name. */
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private NetworkPolicyModel() {
    }

    /**
     * {@code operatorNamespace}: where the operator's pods run; empty when the operator runs outside the cluster (a
     * developer's machine), where it reaches pods from a node, not from a pod.
     */
    public static NetworkPolicy mysql(TeachTrack tt, Optional<String> operatorNamespace) {
        List<NetworkPolicyPeer> peers = new ArrayList<>(List.of(sameInstance(tt, Component.API, Component.WORKER, Component.MYSQL)));
        operatorNamespace.map(NetworkPolicyModel::operatorIn).ifPresent(peers::add);
        return of(tt, Names.mysql(tt), Component.MYSQL, Names.MYSQL_PORT, peers);
    }

    public static NetworkPolicy redis(TeachTrack tt) {
        return of(tt, Names.redis(tt), Component.REDIS, Names.REDIS_PORT, List.of(sameInstance(tt, Component.API, Component.WORKER)));
    }

    private static NetworkPolicyPeer sameInstance(TeachTrack tt, Component... clients) {
        // No namespace selector: pods of the TeachTrack's own namespace only.
        return new NetworkPolicyPeerBuilder()
                .withPodSelector(new LabelSelectorBuilder()
                        .addToMatchLabels(Labels.INSTANCE, tt.getMetadata().getName())
                        .addNewMatchExpression().withKey(Labels.COMPONENT).withOperator("In")
                        .withValues(Arrays.stream(clients).map(Component::label).toList())
                        .endMatchExpression()
                        .build())
                .build();
    }

    private static NetworkPolicyPeer operatorIn(String namespace) {
        return new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(new LabelSelectorBuilder().addToMatchLabels(NAMESPACE_NAME_LABEL, namespace).build())
                .withPodSelector(new LabelSelectorBuilder().addToMatchLabels(Labels.NAME, Labels.OPERATOR_APP_NAME).build())
                .build();
    }

    private static NetworkPolicy of(TeachTrack tt, String name, Component target, int port, List<NetworkPolicyPeer> peers) {
        return new NetworkPolicyBuilder()
                .withMetadata(ObjectMetas.of(tt, name, Labels.common(tt, target)))
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(Labels.selector(tt, target)).endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress()
                .withFrom(peers)
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(port)).endPort()
                .endIngress()
                .endSpec()
                .build();
    }
}
