package io.teachtrack.operator.testing;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.model.SecretData;
import org.awaitility.core.ConditionTimeoutException;

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
        try {
            return await().atMost(atMost).until(this::get, tt -> tt != null && tt.getStatus() != null
                    && tt.getStatus().getPhase() != null
                    && Objects.equals(tt.getStatus().getObservedGeneration(), tt.getMetadata().getGeneration())
                    && wanted.test(tt));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("TeachTrack " + namespace + "/" + name + " did not reach the wanted status within " + atMost
                    + "; it has " + describe(get()), e);
        }
    }

    /** Phase, conditions and MySQL members, one line each: what a failed wait needs to say. */
    public static String describe(TeachTrack tt) {
        if (tt == null) {
            return "no TeachTrack";
        }
        if (tt.getStatus() == null) {
            return "no status (generation " + tt.getMetadata().getGeneration() + ")";
        }
        StringBuilder text = new StringBuilder("phase " + tt.getStatus().getPhase() + ", observed generation "
                + tt.getStatus().getObservedGeneration() + " of " + tt.getMetadata().getGeneration());
        if (tt.getStatus().getConditions() != null) {
            tt.getStatus().getConditions().forEach(c -> text.append("\n  ").append(c.getType()).append('=').append(c.getStatus())
                    .append(' ').append(c.getReason()).append(": ").append(c.getMessage()));
        }
        if (tt.getStatus().getMysql() != null) {
            text.append("\n  mysql primary ").append(tt.getStatus().getMysql().getPrimary());
            if (tt.getStatus().getMysql().getReplicas() != null) {
                tt.getStatus().getMysql().getReplicas().forEach(r -> text.append("\n  replica ").append(r.getName()).append(' ')
                        .append(r.getState()).append(r.getLastError() == null ? "" : " (" + r.getLastError() + ")"));
            }
        }
        return text.toString();
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
