package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The annotation that rolls pods when the credentials they read change: and only then, revealing nothing. */
class CredentialsVersionTest {

    private final TeachTrack tt = TeachTracks.school();
    private final CredentialGenerator generator = new CredentialGenerator();
    private final Secret secret = CredentialsModel.desired(tt, null, generator, List.of());

    @Test
    void changesWithEveryValueThePodsReadAndWithNoOther() {
        String app = CredentialsVersion.of(secret, CredentialsVersion.APP_KEYS);
        String redis = CredentialsVersion.of(secret, CredentialsVersion.REDIS_KEYS);
        assertThat(app).matches("[0-9a-f]{32}").isEqualTo(CredentialsVersion.of(secret, CredentialsVersion.APP_KEYS));

        for (String key : CredentialsVersion.APP_KEYS) {
            assertThat(CredentialsVersion.of(with(key, generator.password()), CredentialsVersion.APP_KEYS)).as(key).isNotEqualTo(app);
        }
        Secret newRoot = with(CredentialKeys.MYSQL_ROOT_PASSWORD, generator.password());
        assertThat(CredentialsVersion.of(newRoot, CredentialsVersion.APP_KEYS)).as("the root password is not the pods' business").isEqualTo(app);
        assertThat(CredentialsVersion.of(with(CredentialKeys.MYSQL_APP_PASSWORD, generator.password()), CredentialsVersion.REDIS_KEYS))
                .as("Redis does not read the app password").isEqualTo(redis);
        assertThat(CredentialsVersion.of(with(CredentialKeys.REDIS_PASSWORD, generator.password()), CredentialsVersion.REDIS_KEYS)).isNotEqualTo(redis);
    }

    @Test
    void aWeakPasswordCannotBeGuessedFromTheVersionWithoutTheSigningKey() {
        Secret weak = with(CredentialKeys.REDIS_PASSWORD, "password1");
        Secret sameButOtherKey = new SecretBuilder(weak).addToData(CredentialKeys.JWT_PRIVATE_KEY, encode("another signing key")).build();
        assertThat(CredentialsVersion.of(weak, CredentialsVersion.REDIS_KEYS))
                .as("keyed: the same password under another key gives another version")
                .isNotEqualTo(CredentialsVersion.of(sameButOtherKey, CredentialsVersion.REDIS_KEYS));
    }

    @Test
    void anIncompleteSecretHasNoVersionAndStampingLeavesThePodsAlone() {
        Secret partial = new SecretBuilder(secret).removeFromData(CredentialKeys.REDIS_PASSWORD).build();
        assertThat(CredentialsVersion.of(partial, CredentialsVersion.APP_KEYS)).isNull();
        Deployment api = AppModel.api(tt, TeachTracks.DEFAULTS);
        assertThat(CredentialsVersion.of(CredentialsVersion.stamp(api, null))).isNull();
        assertThat(CredentialsVersion.of(CredentialsVersion.stamp(api, "v1"))).isEqualTo("v1");
    }

    @Test
    void aRolloutIsOverOnlyWhenEveryPodIsOfTheVersionAndAvailable() {
        Deployment api = CredentialsVersion.stamp(AppModel.api(tt, TeachTracks.DEFAULTS), "v2");
        api.getSpec().setReplicas(2);
        api.getMetadata().setGeneration(5L);
        api.setStatus(new DeploymentStatusBuilder().withObservedGeneration(5L).withReplicas(2).withUpdatedReplicas(2).withAvailableReplicas(2).build());
        assertThat(CredentialsVersion.rolledOut(api, "v2")).isTrue();
        assertThat(CredentialsVersion.rolledOut(api, "v3")).as("pods of another version").isFalse();

        api.setStatus(new DeploymentStatusBuilder().withObservedGeneration(5L).withReplicas(3).withUpdatedReplicas(2).withAvailableReplicas(3).build());
        assertThat(CredentialsVersion.rolledOut(api, "v2")).as("an old pod is still there").isFalse();
        api.setStatus(new DeploymentStatusBuilder().withObservedGeneration(4L).withReplicas(2).withUpdatedReplicas(2).withAvailableReplicas(2).build());
        assertThat(CredentialsVersion.rolledOut(api, "v2")).as("the controller has not seen the new template").isFalse();
        api.setStatus(new DeploymentStatusBuilder().withObservedGeneration(5L).withReplicas(2).withUpdatedReplicas(2).withAvailableReplicas(1).build());
        assertThat(CredentialsVersion.rolledOut(api, "v2")).as("a new pod is not ready").isFalse();
    }

    private Secret with(String key, String value) {
        return new SecretBuilder(secret).addToData(key, encode(value)).build();
    }

    private static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
