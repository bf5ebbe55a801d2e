package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

import java.util.Map;

/** Metadata of a child: name, namespace, labels and the controller ownerReference to the TeachTrack. */
public final class ObjectMetas {

    private ObjectMetas() {
    }

    public static ObjectMeta of(TeachTrack tt, String name, Map<String, String> labels) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(tt.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(controllerReference(tt))
                .build();
    }

    public static OwnerReference controllerReference(TeachTrack tt) {
        return new OwnerReferenceBuilder()
                .withApiVersion(tt.getApiVersion())
                .withKind(tt.getKind())
                .withName(tt.getMetadata().getName())
                .withUid(tt.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }
}
