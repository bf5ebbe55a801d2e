package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code <n>-credentials} Secret. Values are generated once: whatever the Secret already holds for a key
 * (generated earlier, or set by a person) is kept, and only missing keys are generated.
 */
public final class CredentialsModel {

    private CredentialsModel() {
    }

    public static Secret desired(TeachTrack tt, Secret existing, CredentialGenerator generator) {
        Map<String, String> data = new TreeMap<>();
        Map<String, String> current = existing != null && existing.getData() != null ? existing.getData() : Map.of();
        for (String key : CredentialKeys.PASSWORDS) {
            data.put(key, current.containsKey(key) ? current.get(key) : base64(generator.password()));
        }
        // The two halves of the JWT key pair only make sense together.
        if (current.containsKey(CredentialKeys.JWT_PRIVATE_KEY) && current.containsKey(CredentialKeys.JWT_PUBLIC_KEY)) {
            data.put(CredentialKeys.JWT_PRIVATE_KEY, current.get(CredentialKeys.JWT_PRIVATE_KEY));
            data.put(CredentialKeys.JWT_PUBLIC_KEY, current.get(CredentialKeys.JWT_PUBLIC_KEY));
        } else {
            CredentialGenerator.PemKeyPair pair = generator.rsaKeyPair();
            data.put(CredentialKeys.JWT_PRIVATE_KEY, base64(pair.privateKeyPem()));
            data.put(CredentialKeys.JWT_PUBLIC_KEY, base64(pair.publicKeyPem()));
        }
        return new SecretBuilder()
                .withMetadata(ObjectMetas.of(tt, Names.credentials(tt), Labels.common(tt, Component.MYSQL)))
                .withType("Opaque")
                .withData(data)
                .build();
    }

    /** Whether the Secret already holds every key; then the operator leaves it alone. */
    public static boolean isComplete(Secret secret) {
        return secret != null && secret.getData() != null && secret.getData().keySet().containsAll(CredentialKeys.ALL);
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
