package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.Secret;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reading a Secret's values (the API keeps them base64-encoded in {@code data}). */
public final class SecretData {

    private SecretData() {
    }

    /** The decoded value of {@code key}, or null when the Secret or the key is missing. */
    public static String value(Secret secret, String key) {
        String encoded = secret == null || secret.getData() == null ? null : secret.getData().get(key);
        return encoded == null ? null : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }
}
