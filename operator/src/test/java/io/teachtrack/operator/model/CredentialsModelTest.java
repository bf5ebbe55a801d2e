package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialsModelTest {

    private final TeachTrack tt = TeachTracks.school();
    private final CredentialGenerator generator = new CredentialGenerator();

    @Test
    void generatesEveryKeyWithStrongDistinctPasswords() {
        Secret secret = CredentialsModel.desired(tt, null, generator);
        assertThat(secret.getData()).containsOnlyKeys(CredentialKeys.ALL);
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
        Secret secret = CredentialsModel.desired(tt, null, generator);
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
        Secret first = CredentialsModel.desired(tt, null, generator);
        assertThat(CredentialsModel.desired(tt, first, generator).getData()).isEqualTo(first.getData());

        Secret edited = new SecretBuilder(first).addToData(CredentialKeys.ADMIN_PASSWORD, encode("chosen-by-a-person"))
                .build();
        edited.getData().remove(CredentialKeys.MYSQL_REPLICATION_PASSWORD);
        assertThat(CredentialsModel.isComplete(edited)).isFalse();
        Secret repaired = CredentialsModel.desired(tt, edited, generator);
        assertThat(decode(repaired.getData().get(CredentialKeys.ADMIN_PASSWORD))).isEqualTo("chosen-by-a-person");
        assertThat(repaired.getData().get(CredentialKeys.MYSQL_ROOT_PASSWORD)).isEqualTo(first.getData().get(CredentialKeys.MYSQL_ROOT_PASSWORD));
        assertThat(repaired.getData()).containsKey(CredentialKeys.MYSQL_REPLICATION_PASSWORD);
    }

    @Test
    void theKeyPairIsReplacedOnlyAsAWhole() {
        Secret first = CredentialsModel.desired(tt, null, generator);
        Secret halfPair = new SecretBuilder(first).build();
        halfPair.getData().remove(CredentialKeys.JWT_PUBLIC_KEY);
        Secret repaired = CredentialsModel.desired(tt, halfPair, generator);
        assertThat(repaired.getData().get(CredentialKeys.JWT_PRIVATE_KEY)).isNotEqualTo(first.getData().get(CredentialKeys.JWT_PRIVATE_KEY));
        assertThat(repaired.getData()).containsKey(CredentialKeys.JWT_PUBLIC_KEY);
    }

    @Test
    void keyPairNeverPrintsItsKeys() {
        assertThat(generator.rsaKeyPair().toString()).doesNotContain("PRIVATE KEY").contains("redacted");
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
}
