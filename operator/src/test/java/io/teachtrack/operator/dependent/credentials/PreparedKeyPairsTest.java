package io.teachtrack.operator.dependent.credentials;

import io.teachtrack.operator.model.CredentialGenerator;
import org.junit.jupiter.api.Test;

import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PreparedKeyPairsTest {

    @Test
    void pairsAreMadeAheadHandedOutOnceAndMadeAgain() throws Exception {
        PreparedKeyPairs pairs = new PreparedKeyPairs();
        await().atMost(Duration.ofMinutes(2)).until(() -> pairs.prepared() == PreparedKeyPairs.KEPT);

        Set<String> publicKeys = new HashSet<>();
        for (int i = 0; i < PreparedKeyPairs.KEPT + 2; i++) {
            CredentialGenerator.PemKeyPair pair = pairs.rsaKeyPair();
            assertThat(signsAndVerifies(pair)).as("pair %d belongs together", i).isTrue();
            publicKeys.add(pair.publicKeyPem());
        }
        assertThat(publicKeys).as("no pair handed out twice, prepared or not").hasSize(PreparedKeyPairs.KEPT + 2);

        await().atMost(Duration.ofMinutes(2)).until(() -> pairs.prepared() == PreparedKeyPairs.KEPT);
    }

    private static boolean signsAndVerifies(CredentialGenerator.PemKeyPair pair) throws Exception {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(der(pair.publicKeyPem())));
        assertThat(publicKey.getModulus().bitLength()).isEqualTo(2048);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(rsa.generatePrivate(new PKCS8EncodedKeySpec(der(pair.privateKeyPem()))));
        byte[] message = "a token".getBytes();
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey);
        verifier.update(message);
        return verifier.verify(signature);
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }
}
