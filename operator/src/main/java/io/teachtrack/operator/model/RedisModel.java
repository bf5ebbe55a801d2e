package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.teachtrack.operator.api.v1alpha1.RedisSpec;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

/**
 * The Redis cache: one pod, {@code maxmemory} from the spec with {@code allkeys-lru}, nothing persisted, and a password
 * from the credentials Secret: cached student data is read, and the cache written, only by this TeachTrack's pods.
 */
public final class RedisModel {

    static final String PASSWORD_VARIABLE = "REDIS_PASSWORD";

    private RedisModel() {
    }

    public static Deployment deployment(TeachTrack tt, PlatformDefaults defaults) {
        RedisSpec redis = tt.getSpec().getRedis();
        Deployment deployment = new DeploymentBuilder()
                .withMetadata(ObjectMetas.of(tt, Names.redis(tt), Labels.common(tt, Component.REDIS)))
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector().withMatchLabels(Labels.selector(tt, Component.REDIS)).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.common(tt, Component.REDIS)).endMetadata()
                .withNewSpec()
                .withSecurityContext(PodSecurity.pod(PodSecurity.DATA_USER))
                .addNewContainer()
                .withName("redis")
                .withImage(defaults.redisImage(tt))
                .withCommand("redis-server")
                // The kubelet expands $(REDIS_PASSWORD): the pod spec never holds the password, and Redis overwrites its
                // command line with its process title as it starts.
                .withArgs("--requirepass", "$(" + PASSWORD_VARIABLE + ")",
                        "--port", String.valueOf(Names.REDIS_PORT),
                        "--maxmemory", String.valueOf(maxMemoryBytes(redis.getMaxMemory())),
                        "--maxmemory-policy", "allkeys-lru",
                        // A cache: no snapshots, no append-only file.
                        "--save", "", "--appendonly", "no")
                .withEnv(SecretEnv.of(PASSWORD_VARIABLE, Names.credentials(tt), CredentialKeys.REDIS_PASSWORD),
                        // redis-cli (the readiness probe) authenticates with this.
                        SecretEnv.of("REDISCLI_AUTH", Names.credentials(tt), CredentialKeys.REDIS_PASSWORD))
                .addNewPort().withName("redis").withContainerPort(Names.REDIS_PORT).withProtocol("TCP").endPort()
                .withResources(DefaultResources.orDefault(redis.getResources(), DefaultResources.redis(redis.getMaxMemory())))
                .withSecurityContext(PodSecurity.container(true))
                .withNewReadinessProbe().withNewExec().withCommand("redis-cli", "ping").endExec()
                .withInitialDelaySeconds(2).withPeriodSeconds(5).withTimeoutSeconds(2).endReadinessProbe()
                .withNewLivenessProbe().withNewTcpSocket().withPort(new IntOrString(Names.REDIS_PORT)).endTcpSocket()
                .withInitialDelaySeconds(15).withPeriodSeconds(10).endLivenessProbe()
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        PodOptions.apply(deployment.getSpec().getTemplate(), tt, Component.REDIS, redis);
        return deployment;
    }

    public static Service service(TeachTrack tt) {
        return new ServiceBuilder()
                .withMetadata(ObjectMetas.of(tt, Names.redis(tt), Labels.common(tt, Component.REDIS)))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(Labels.selector(tt, Component.REDIS))
                .addNewPort().withName("redis").withPort(Names.REDIS_PORT).withProtocol("TCP")
                .withTargetPort(new IntOrString(Names.REDIS_PORT)).endPort()
                .endSpec()
                .build();
    }

    static long maxMemoryBytes(String maxMemory) {
        return Quantity.getAmountInBytes(new Quantity(maxMemory)).longValueExact();
    }
}
