package io.teachtrack.operator.dependent.credentials;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.dependent.TeachTrackDependent;
import io.teachtrack.operator.model.CredentialGenerator;
import io.teachtrack.operator.model.CredentialsModel;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.Names;

import java.util.List;
import java.util.Map;

/**
 * {@code <n>-credentials}: generated once; the values of a complete Secret are never touched again. It is owned by the
 * TeachTrack and by every MySQL volume, so it outlives a deleted TeachTrack as long as its data does (see
 * {@link CredentialsModel}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class CredentialsSecretDependent extends TeachTrackDependent<Secret> {

    private final CredentialGenerator generator = new PreparedKeyPairs();

    public CredentialsSecretDependent() {
        super(Secret.class, Names::credentials);
    }

    @Override
    protected Secret desired(TeachTrack primary, Context<TeachTrack> context) {
        return CredentialsModel.desired(primary, getSecondaryResource(primary, context).orElse(null), generator, volumes(context));
    }

    @Override
    public Matcher.Result<Secret> match(Secret actual, TeachTrack primary, Context<TeachTrack> context) {
        // Comparing values would regenerate nothing but could overwrite a person's edit; presence and owners count.
        return Matcher.Result.nonComputed(CredentialsModel.isCurrent(actual, primary, volumes(context)));
    }

    /**
     * The SDK writes Secrets with create and replace (never server-side apply), and its replace copies the data and
     * labels onto the Secret as it is: the owners and the recorded primary must be carried over too, or the volumes
     * would never own it and a re-created TeachTrack would not know its primary.
     */
    @Override
    public Secret update(Secret actual, Secret desired, TeachTrack primary, Context<TeachTrack> context) {
        Secret withOwners = new SecretBuilder(actual).editMetadata().withOwnerReferences(desired.getMetadata().getOwnerReferences())
                .addToAnnotations(desired.getMetadata().getAnnotations() == null ? Map.of() : desired.getMetadata().getAnnotations())
                .endMetadata().build();
        return super.update(withOwners, desired, primary, context);
    }

    private static List<PersistentVolumeClaim> volumes(Context<TeachTrack> context) {
        return context.getSecondaryResources(PersistentVolumeClaim.class).stream().toList();
    }
}
