package io.teachtrack.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.model.CredentialsVersion;
import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.replication.AppPasswordRotation;

/** Which credentials a Deployment's pods are made for ({@link CredentialsVersion}); a change rolls them. */
public final class PodCredentials {

    private PodCredentials() {
    }

    /**
     * API and worker pods: the Secret's values once the database accepts the Secret's app password (this pass's
     * rotation said so); until then, the version the running pods have, so no pod starts with a password the database
     * would refuse.
     */
    public static Deployment stampAppPods(Deployment desired, TeachTrack tt, Context<TeachTrack> context) {
        boolean databaseAccepts = context.managedWorkflowAndDependentResourceContext()
                .get(AppPasswordRotation.Outcome.class, AppPasswordRotation.Outcome.class)
                .map(AppPasswordRotation.Outcome::secretPasswordWorks).orElse(false);
        String running = CredentialsVersion.of(existing(context, desired.getMetadata().getName()));
        String version = databaseAccepts || running == null ? CredentialsVersion.of(secret(tt, context), CredentialsVersion.APP_KEYS) : running;
        return CredentialsVersion.stamp(desired, version);
    }

    /** The Redis pod: the Secret's password at once (the API only loses its cache while Redis restarts). */
    public static Deployment stampRedisPod(Deployment desired, TeachTrack tt, Context<TeachTrack> context) {
        return CredentialsVersion.stamp(desired, CredentialsVersion.of(secret(tt, context), CredentialsVersion.REDIS_KEYS));
    }

    private static Deployment existing(Context<TeachTrack> context, String name) {
        return context.getSecondaryResources(Deployment.class).stream().filter(d -> name.equals(d.getMetadata().getName()))
                .findFirst().orElse(null);
    }

    private static Secret secret(TeachTrack tt, Context<TeachTrack> context) {
        return context.getSecondaryResources(Secret.class).stream()
                .filter(s -> Names.credentials(tt).equals(s.getMetadata().getName())).findFirst().orElse(null);
    }
}
