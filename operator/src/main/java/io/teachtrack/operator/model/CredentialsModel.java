package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@code <n>-credentials} Secret. Values are generated once: whatever the Secret already holds for a key
 * (generated earlier, or set by a person) is kept, and only missing keys are generated.
 *
 * <p>It opens the MySQL volumes, which outlive the TeachTrack (their claims are retained), so it is owned by the
 * TeachTrack <em>and</em> by every MySQL claim: Kubernetes deletes it only once all of them are gone. A TeachTrack
 * re-created on kept volumes adopts it, and logs in to its data with the passwords that data was made with.
 */
public final class CredentialsModel {

    private CredentialsModel() {
    }

    /**
     * The MySQL pod that was primary when last recorded: kept on the Secret, which outlives the TeachTrack with the
     * volumes, so a re-created TeachTrack starts from the server that has the data, not from pod 0.
     */
    public static final String PRIMARY_ANNOTATION = "teachtrack.io/mysql-primary";

    public static Secret desired(TeachTrack tt, Secret existing, CredentialGenerator generator, List<PersistentVolumeClaim> volumes) {
        Map<String, String> data = new TreeMap<>();
        Map<String, String> current = existing != null && existing.getData() != null ? existing.getData() : Map.of();
        for (String key : CredentialKeys.PASSWORDS) {
            data.put(key, current.containsKey(key) ? current.get(key) : base64(generator.password()));
        }
        // A root password generated now is what the servers will be made with. A kept Secret without the record (made
        // by an earlier version) gets it from the replication step, once every server is seen to accept its password.
        String appliedRoot = current.containsKey(CredentialKeys.MYSQL_ROOT_PASSWORD) ? current.get(CredentialKeys.MYSQL_ROOT_PASSWORD_APPLIED)
                : data.get(CredentialKeys.MYSQL_ROOT_PASSWORD);
        if (appliedRoot != null) {
            data.put(CredentialKeys.MYSQL_ROOT_PASSWORD_APPLIED, appliedRoot);
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
        ObjectMeta metadata = ObjectMetas.of(tt, Names.credentials(tt), Labels.common(tt, Component.MYSQL));
        String primary = primaryToKeep(tt, existing);
        if (primary != null) {
            metadata.setAnnotations(new TreeMap<>(Map.of(PRIMARY_ANNOTATION, primary)));
        }
        volumes.stream().sorted(Comparator.comparing(claim -> claim.getMetadata().getName()))
                .map(CredentialsModel::ownedBy).forEach(metadata.getOwnerReferences()::add);
        return new SecretBuilder()
                .withMetadata(metadata)
                .withType("Opaque")
                .withData(data)
                .build();
    }

    /** Whether the Secret already holds every key; then the operator leaves its values alone. */
    public static boolean isComplete(Secret secret) {
        return secret != null && secret.getData() != null && secret.getData().keySet().containsAll(CredentialKeys.ALL);
    }

    /**
     * Whether the Secret is complete and owned by the TeachTrack and by each of the volumes: then nothing needs
     * applying. A re-created TeachTrack (new uid) and a new volume (scale-up) each make it apply once.
     */
    public static boolean isCurrent(Secret secret, TeachTrack tt, List<PersistentVolumeClaim> volumes) {
        if (!isComplete(secret)) {
            return false;
        }
        Set<String> owners = secret.getMetadata().getOwnerReferences() == null ? Set.of()
                : secret.getMetadata().getOwnerReferences().stream().map(OwnerReference::getUid).collect(Collectors.toSet());
        return owners.contains(tt.getMetadata().getUid())
                && volumes.stream().map(claim -> claim.getMetadata().getUid()).allMatch(owners::contains)
                && Objects.equals(recordedPrimary(secret), primaryToKeep(tt, secret));
    }

    /** The primary recorded on the Secret, or null. */
    public static String recordedPrimary(Secret secret) {
        return secret == null || secret.getMetadata() == null || secret.getMetadata().getAnnotations() == null ? null
                : secret.getMetadata().getAnnotations().get(PRIMARY_ANNOTATION);
    }

    /** The TeachTrack's recorded primary; before it has one (a re-created TeachTrack), the one the Secret kept. */
    private static String primaryToKeep(TeachTrack tt, Secret existing) {
        String recorded = tt.getStatus() == null || tt.getStatus().getMysql() == null ? null : tt.getStatus().getMysql().getPrimary();
        return recorded != null ? recorded : recordedPrimary(existing);
    }

    private static OwnerReference ownedBy(PersistentVolumeClaim claim) {
        // Not the controller, and no blockOwnerDeletion: a claim is deleted by whoever deletes it, at once.
        return new OwnerReferenceBuilder()
                .withApiVersion("v1")
                .withKind("PersistentVolumeClaim")
                .withName(claim.getMetadata().getName())
                .withUid(claim.getMetadata().getUid())
                .build();
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
