package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;

/** Environment variables that reference a Secret key; secret values are never inlined in a pod spec. */
public final class SecretEnv {

    private SecretEnv() {
    }

    public static EnvVar of(String variable, String secret, String key) {
        return new EnvVarBuilder().withName(variable)
                .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).withOptional(false)
                .endSecretKeyRef().endValueFrom()
                .build();
    }
}
