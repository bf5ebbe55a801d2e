package io.teachtrack.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

/**
 * A child object of one kind and role, applied with server-side apply. The desired state comes from a pure
 * builder in {@code model}; the child's name alone identifies it among children of the same kind, so that
 * finding it never requires computing the desired state.
 */
public abstract class TeachTrackDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, TeachTrack> {

    protected TeachTrackDependent(Class<R> resourceType) {
        super(resourceType);
    }

    protected abstract String childName(TeachTrack teachTrack);

    @Override
    protected ResourceID targetSecondaryResourceID(TeachTrack primary, Context<TeachTrack> context) {
        return new ResourceID(childName(primary), primary.getMetadata().getNamespace());
    }
}
