package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.teachtrack.operator.api.v1alpha1.MysqlStatus;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.api.v1alpha1.TeachTrackStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class CredentialsModelTest {

    private final TeachTrack tt = TeachTracks.school();
    private final CredentialGenerator generator = new CredentialGenerator();

    @Test
    void generatesEveryKeyWithStrongDistinctPasswords() {
        Secret secret = CredentialsModel.desired(tt, null, generator, List.of());
        assertThat(secret.getData().keySet()).containsExactlyInAnyOrderElementsOf(
                Stream.concat(CredentialKeys.ALL.stream(), Stream.of(CredentialKeys.MYSQL_ROOT_PASSWORD_APPLIED)).toList());
        Set<String> passwords = new HashSet<>();
        for (String key : CredentialKeys.PASSWORDS) {
            String password = decode(secret.getData().get(key));
            assertThat(password).hasSize(32).matches("[A-Za-z0-9_-]+");
            passwords.add(password);
        }
        assertThat(passwords).as("no two passwords alike").hasSize(CredentialKeys.PASSWORDS.size());
        assertThat(CredentialsModel.isComplete(secret)).isTrue();
    }

    @Test
    void jwtKeysAreAMatchingRsaPairInPem() throws Exception {
        Secret secret = CredentialsModel.desired(tt, null, generator, List.of());
        String privatePem = decode(secret.getData().get(CredentialKeys.JWT_PRIVATE_KEY));
        String publicPem = decode(secret.getData().get(CredentialKeys.JWT_PUBLIC_KEY));
        assertThat(privatePem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(publicPem).startsWith("-----BEGIN PUBLIC KEY-----\n");

        KeyFactory rsa = KeyFactory.getInstance("RSA");
        PrivateKey privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(der(privatePem)));
        PublicKey publicKey = rsa.generatePublic(new X509EncodedKeySpec(der(publicPem)));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(privateKey);
        signer.update("token".getBytes(StandardCharsets.UTF_8));
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey);
        verifier.update("token".getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void existingValuesAreNeverRegeneratedAndMissingOnesAreAdded() {
        Secret first = CredentialsModel.desired(tt, null, generator, List.of());
        assertThat(CredentialsModel.desired(tt, first, generator, List.of()).getData()).isEqualTo(first.getData());

        Secret edited = new SecretBuilder(first).addToData(CredentialKeys.ADMIN_PASSWORD, encode("chosen-by-a-person"))
                .build();
        edited.getData().remove(CredentialKeys.MYSQL_REPLICATION_PASSWORD);
        assertThat(CredentialsModel.isComplete(edited)).isFalse();
        Secret repaired = CredentialsModel.desired(tt, edited, generator, List.of());
        assertThat(decode(repaired.getData().get(CredentialKeys.ADMIN_PASSWORD))).isEqualTo("chosen-by-a-person");
        assertThat(repaired.getData().get(CredentialKeys.MYSQL_ROOT_PASSWORD)).isEqualTo(first.getData().get(CredentialKeys.MYSQL_ROOT_PASSWORD));
        assertThat(repaired.getData()).containsKey(CredentialKeys.MYSQL_REPLICATION_PASSWORD);
    }

    @Test
    void theAppliedRootPasswordIsRecordedWhenGeneratedAndThenOnlyKept() {
        Secret first = CredentialsModel.desired(tt, null, generator, List.of());
        assertThat(first.getData().get(CredentialKeys.MYSQL_ROOT_PASSWORD_APPLIED)).as("the servers are made with the generated one")
                .isEqualTo(first.getData().get(CredentialKeys.MYSQL_ROOT_PASSWORD));

        // A person changes the root password: the record stays, so the operator can still log in to set the new one.
        Secret edited = new SecretBuilder(first).addToData(CredentialKeys.MYSQL_ROOT_PASSWORD, encode("a-new-root-password")).build();
        Secret kept = CredentialsModel.desired(tt, edited, generator, List.of());
        assertThat(kept.getData().get(CredentialKeys.MYSQL_ROOT_PASSWORD_APPLIED)).isEqualTo(first.getData().get(CredentialKeys.MYSQL_ROOT_PASSWORD));
        assertThat(decode(kept.getData().get(CredentialKeys.MYSQL_ROOT_PASSWORD))).isEqualTo("a-new-root-password");

        // A Secret from before the record: none is made up from a root password the servers may not hold.
        Secret older = new SecretBuilder(first).build();
        older.getData().remove(CredentialKeys.MYSQL_ROOT_PASSWORD_APPLIED);
        assertThat(CredentialsModel.isComplete(older)).isTrue();
        assertThat(CredentialsModel.desired(tt, older, generator, List.of()).getData()).doesNotContainKey(CredentialKeys.MYSQL_ROOT_PASSWORD_APPLIED);
    }

    @Test
    void theKeyPairIsReplacedOnlyAsAWhole() {
        Secret first = CredentialsModel.desired(tt, null, generator, List.of());
        Secret halfPair = new SecretBuilder(first).build();
        halfPair.getData().remove(CredentialKeys.JWT_PUBLIC_KEY);
        Secret repaired = CredentialsModel.desired(tt, halfPair, generator, List.of());
        assertThat(repaired.getData().get(CredentialKeys.JWT_PRIVATE_KEY)).isNotEqualTo(first.getData().get(CredentialKeys.JWT_PRIVATE_KEY));
        assertThat(repaired.getData()).containsKey(CredentialKeys.JWT_PUBLIC_KEY);
    }

    @Test
    void theSecretIsOwnedByTheTeachTrackAndByEveryMysqlVolumeSoItOutlivesADeletedTeachTrackAsLongAsItsData() {
        List<PersistentVolumeClaim> volumes = List.of(claim("data-school-mysql-1", "uid-1"), claim("data-school-mysql-0", "uid-0"));
        Secret secret = CredentialsModel.desired(tt, null, generator, volumes);
        assertThat(secret.getMetadata().getOwnerReferences()).extracting(OwnerReference::getKind, OwnerReference::getName,
                OwnerReference::getUid, OwnerReference::getController).containsExactly(
                tuple("TeachTrack", "school", tt.getMetadata().getUid(), true),
                tuple("PersistentVolumeClaim", "data-school-mysql-0", "uid-0", null),
                tuple("PersistentVolumeClaim", "data-school-mysql-1", "uid-1", null));
        assertThat(CredentialsModel.isCurrent(secret, tt, volumes)).isTrue();

        List<PersistentVolumeClaim> scaledUp = new ArrayList<>(volumes);
        scaledUp.add(claim("data-school-mysql-2", "uid-2"));
        assertThat(CredentialsModel.isCurrent(secret, tt, scaledUp)).as("a new volume must own it too").isFalse();
        assertThat(CredentialsModel.isCurrent(CredentialsModel.desired(tt, secret, generator, scaledUp), tt, scaledUp)).isTrue();
    }

    @Test
    void aTeachTrackRecreatedOnKeptVolumesAdoptsTheirSecretWithItsPasswords() {
        List<PersistentVolumeClaim> volumes = List.of(claim("data-school-mysql-0", "uid-0"));
        Secret kept = CredentialsModel.desired(tt, null, generator, volumes);
        // What the garbage collector leaves when the TeachTrack goes: the volumes' references only.
        kept.getMetadata().getOwnerReferences().removeIf(owner -> "TeachTrack".equals(owner.getKind()));
        TeachTrack recreated = TeachTracks.school();
        recreated.getMetadata().setUid("0d6b6c1e-0000-4000-8000-000000000002");

        assertThat(CredentialsModel.isCurrent(kept, recreated, volumes)).as("adopting it needs an apply").isFalse();
        Secret adopted = CredentialsModel.desired(recreated, kept, generator, volumes);
        assertThat(adopted.getData()).isEqualTo(kept.getData());
        assertThat(adopted.getMetadata().getOwnerReferences()).extracting(OwnerReference::getUid)
                .containsExactly("0d6b6c1e-0000-4000-8000-000000000002", "uid-0");
        assertThat(CredentialsModel.isCurrent(adopted, recreated, volumes)).isTrue();
    }

    @Test
    void keyPairNeverPrintsItsKeys() {
        assertThat(generator.rsaKeyPair().toString()).doesNotContain("PRIVATE KEY").contains("redacted");
    }

    private static PersistentVolumeClaim claim(String name, String uid) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace("edu").withUid(uid).endMetadata().build();
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A re-created TeachTrack must start from the server that was primary, not from pod 0: the Secret keeps its name. */
    @Test
    void theSecretKeepsTheRecordedPrimaryForARecreatedTeachTrack() {
        TeachTrack running = TeachTracks.school();
        TeachTrackStatus status = new TeachTrackStatus();
        MysqlStatus mysql = new MysqlStatus();
        mysql.setPrimary(Names.mysqlPod(running, 1));
        status.setMysql(mysql);
        running.setStatus(status);
        Secret before = CredentialsModel.desired(tt, null, generator, List.of());
        assertThat(CredentialsModel.isCurrent(before, running, List.of())).as("the primary moved: the Secret is to be updated")
                .isFalse();
        Secret recorded = CredentialsModel.desired(running, before, generator, List.of());
        assertThat(CredentialsModel.recordedPrimary(recorded)).isEqualTo(Names.mysqlPod(running, 1));

        TeachTrack recreated = TeachTracks.school();
        Secret adopted = CredentialsModel.desired(recreated, recorded, generator, List.of());
        assertThat(CredentialsModel.recordedPrimary(adopted)).as("kept while the new TeachTrack has recorded none").isEqualTo(Names.mysqlPod(running, 1));
        assertThat(MysqlMembers.primaryOrdinal(recreated, CredentialsModel.recordedPrimary(adopted))).isEqualTo(1);
        assertThat(MysqlMembers.primaryOrdinal(running, "school-mysql-0")).as("a recorded primary wins").isEqualTo(1);
    }
}
