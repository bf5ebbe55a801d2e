package io.teachtrack.operator.model;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Fresh secrets from a SecureRandom: passwords and the RS256 key pair the API signs its tokens with. */
public class CredentialGenerator {

    static final int PASSWORD_BYTES = 24;
    static final int RSA_BITS = 2048;

    private final SecureRandom random;

    public CredentialGenerator() {
        this(new SecureRandom());
    }

    public CredentialGenerator(SecureRandom random) {
        this.random = random;
    }

    /** 32 characters of URL-safe base64: safe in SQL, URLs and shell without quoting. */
    public String password() {
        byte[] bytes = new byte[PASSWORD_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** An RSA key pair as PEM: PKCS#8 private key, X.509 SubjectPublicKeyInfo public key. */
    public PemKeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS, random);
            KeyPair pair = generator.generateKeyPair();
            return new PemKeyPair(pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
                    pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    public record PemKeyPair(String privateKeyPem, String publicKeyPem) {
        @Override
        public String toString() {
            return "PemKeyPair[redacted]";
        }
    }
}
