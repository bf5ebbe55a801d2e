package io.teachtrack.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

import java.util.function.Function;

/**
 * A child object of one kind and role, applied with server-side apply. The desired state comes from a pure
 * builder in {@code model}; the child's name alone identifies it among children of the same kind, so that
 * finding it never requires computing the desired state.
 */
public abstract class TeachTrackDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, TeachTrack> {

    private final Function<TeachTrack, String> childName;

    protected TeachTrackDependent(Class<R> resourceType, Function<TeachTrack, String> childName) {
        super(resourceType);
        this.childName = childName;
    }

    @Override
    protected ResourceID targetSecondaryResourceID(TeachTrack primary, Context<TeachTrack> context) {
        return new ResourceID(childName.apply(primary), primary.getMetadata().getNamespace());
    }
}
