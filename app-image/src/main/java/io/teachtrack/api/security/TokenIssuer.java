package io.teachtrack.api.security;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import io.teachtrack.api.config.AppConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Set;

/** Signs short-lived RS256 tokens with the private key from the Secret; any pod verifies them with the public key. */
@ApplicationScoped
public class TokenIssuer {

    static final String TEACHER_ID = "teacherId";
    static final String STUDENT_ID = "studentId";

    private final PrivateKey key;
    private final String issuer;
    private final Duration lifetime;

    public TokenIssuer(AppConfig config) {
        try {
            this.key = KeyUtils.decodePrivateKey(config.jwt().privateKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            // Never echo the key: say only what is wrong with it.
            throw new IllegalStateException("TEACHTRACK_JWT_PRIVATE_KEY is not a PKCS#8 RSA private key in PEM");
        }
        this.issuer = config.jwt().issuer();
        this.lifetime = config.jwt().tokenLifetime();
    }

    public record Token(String token, long expiresIn) {
    }

    public Token issue(UserAccount user) {
        var claims = Jwt.issuer(issuer)
                .subject(Long.toString(user.id()))
                .upn(user.username())
                .groups(Set.of(user.role().name()))
                .expiresIn(lifetime);
        if (user.teacherId() != null) {
            claims.claim(TEACHER_ID, user.teacherId());
        }
        if (user.studentId() != null) {
            claims.claim(STUDENT_ID, user.studentId());
        }
        return new Token(claims.jws().algorithm(SignatureAlgorithm.RS256).sign(key), lifetime.toSeconds());
    }
}
