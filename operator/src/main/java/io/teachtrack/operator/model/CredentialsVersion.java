package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Which credentials a pod template was made for: a pod reads the Secret once, at start, so a changed value reaches it
 * only through a new pod, and this annotation changing is what rolls the pods. It is an HMAC keyed with the JWT
 * private key (never a plain hash: a weak password chosen by hand could be guessed from that), so anyone who may read
 * Deployments learns nothing about the values.
 */
public final class CredentialsVersion {

    public static final String ANNOTATION = "teachtrack.io/credentials-version";
    /** What the API and worker pods read from the Secret. */
    public static final List<String> APP_KEYS = List.of(CredentialKeys.MYSQL_APP_PASSWORD, CredentialKeys.REDIS_PASSWORD,
            CredentialKeys.ADMIN_PASSWORD, CredentialKeys.JWT_PRIVATE_KEY, CredentialKeys.JWT_PUBLIC_KEY);
    /** What the Redis pod reads. */
    public static final List<String> REDIS_KEYS = List.of(CredentialKeys.REDIS_PASSWORD);

    private CredentialsVersion() {
    }

    /** The version of these keys' values in the Secret, or null while the Secret is incomplete. */
    public static String of(Secret secret, List<String> keys) {
        String key = SecretData.value(secret, CredentialKeys.JWT_PRIVATE_KEY);
        if (key == null || keys.stream().anyMatch(k -> SecretData.value(secret, k) == null)) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            for (String k : keys) {
                mac.update(k.getBytes(StandardCharsets.UTF_8));
                mac.update((byte) 0);
                mac.update(SecretData.value(secret, k).getBytes(StandardCharsets.UTF_8));
                mac.update((byte) 0);
            }
            return HexFormat.of().formatHex(mac.doFinal(), 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The Deployment with its pods made for {@code version} (unchanged when the version is not known). */
    public static Deployment stamp(Deployment deployment, String version) {
        if (version != null) {
            var metadata = deployment.getSpec().getTemplate().getMetadata();
            Map<String, String> annotations = new HashMap<>(Objects.requireNonNullElse(metadata.getAnnotations(), Map.of()));
            annotations.put(ANNOTATION, version);
            metadata.setAnnotations(annotations);
        }
        return deployment;
    }

    /** The version a Deployment's pods are made for, or null. */
    public static String of(Deployment deployment) {
        if (deployment == null || deployment.getSpec() == null || deployment.getSpec().getTemplate() == null
                || deployment.getSpec().getTemplate().getMetadata() == null
                || deployment.getSpec().getTemplate().getMetadata().getAnnotations() == null) {
            return null;
        }
        return deployment.getSpec().getTemplate().getMetadata().getAnnotations().get(ANNOTATION);
    }

    /**
     * Whether every pod of the Deployment is made for {@code version} and available: the rollout is over, and no pod
     * started before it is left.
     */
    public static boolean rolledOut(Deployment deployment, String version) {
        if (deployment == null || version == null || !version.equals(of(deployment)) || deployment.getStatus() == null) {
            return false;
        }
        var status = deployment.getStatus();
        int wanted = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        return status.getObservedGeneration() != null && deployment.getMetadata().getGeneration() != null
                && status.getObservedGeneration() >= deployment.getMetadata().getGeneration()
                && count(status.getUpdatedReplicas()) == wanted && count(status.getReplicas()) == wanted
                && count(status.getAvailableReplicas()) == wanted;
    }

    private static int count(Integer pods) {
        return pods == null ? 0 : pods;
    }
}
