package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

import java.util.Map;

/** PodDisruptionBudgets: voluntary evictions take at most one API pod, and one MySQL server, at a time. */
public final class DisruptionBudgetModel {

    private DisruptionBudgetModel() {
    }

    public static PodDisruptionBudget api(TeachTrack tt) {
        return of(tt, Names.api(tt), Labels.common(tt, Component.API), Labels.selector(tt, Component.API));
    }

    public static PodDisruptionBudget mysql(TeachTrack tt) {
        return of(tt, Names.mysql(tt), Labels.common(tt, Component.MYSQL), Labels.selector(tt, Component.MYSQL));
    }

    private static PodDisruptionBudget of(TeachTrack tt, String name, Map<String, String> labels, Map<String, String> selector) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(ObjectMetas.of(tt, name, labels))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(selector).endSelector()
                .endSpec()
                .build();
    }
}
