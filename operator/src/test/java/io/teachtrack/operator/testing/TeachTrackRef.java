package io.teachtrack.operator.testing;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.model.SecretData;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static io.teachtrack.operator.testing.ClusterWaits.await;

/** One TeachTrack on the local cluster, as the cluster tests read, change and wait for it. */
public record TeachTrackRef(KubernetesClient client, String namespace, String name) {

    private static final int EDIT_ATTEMPTS = 5;

    public TeachTrack get() {
        return client.resources(TeachTrack.class).inNamespace(namespace).withName(name).get();
    }

    /** Changes it, again on a 409: the operator writes its status meanwhile. */
    public void edit(Consumer<TeachTrack> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.resources(TeachTrack.class).inNamespace(namespace).withName(name).edit(tt -> {
                    change.accept(tt);
                    return tt;
                });
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == EDIT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Waits for a status that describes the current generation and satisfies {@code wanted}. */
    public TeachTrack awaitStatus(Duration atMost, Predicate<TeachTrack> wanted) {
        return await().atMost(atMost).until(this::get, tt -> tt != null && tt.getStatus() != null
                && tt.getStatus().getPhase() != null
                && Objects.equals(tt.getStatus().getObservedGeneration(), tt.getMetadata().getGeneration())
                && wanted.test(tt));
    }

    /** A value of its {@code <name>-credentials} Secret. */
    public String credential(String key) {
        return SecretData.value(client.secrets().inNamespace(namespace).withName(name + "-credentials").get(), key);
    }

    public static Condition condition(TeachTrack tt, String type) {
        return tt.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type + " in " + tt.getStatus().getConditions()));
    }
}
