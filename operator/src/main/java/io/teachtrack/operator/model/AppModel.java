package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.teachtrack.operator.api.v1alpha1.ApiServiceSpec;
import io.teachtrack.operator.api.v1alpha1.AutoscalingSpec;
import io.teachtrack.operator.api.v1alpha1.PodOptionsSpec;
import io.teachtrack.operator.api.v1alpha1.ServiceType;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The API and worker Deployments (one image, two roles) and the API Service. The applied Deployment never
 * carries {@code spec.replicas}: the operator sets the pod count with a patch of that field alone (see
 * {@link #replicasToSet}), so that its server-side apply never owns the field, never resets it when
 * autoscaling is switched on, and leaves it to the HPA while one manages the Deployment.
 */
public final class AppModel {

    /** The image's shutdown delay (10 s) and timeout (20 s), with room to spare. */
    static final long TERMINATION_GRACE_SECONDS = 40;

    private AppModel() {
    }

    public static Deployment api(TeachTrack tt, PlatformDefaults defaults) {
        var api = tt.getSpec().getApi();
        return deployment(tt, Component.API, Names.api(tt), defaults,
                DefaultResources.orDefault(api.getResources(), DefaultResources.api()), api);
    }

    public static Deployment worker(TeachTrack tt, PlatformDefaults defaults) {
        var worker = tt.getSpec().getWorker();
        return deployment(tt, Component.WORKER, Names.worker(tt), defaults,
                DefaultResources.orDefault(worker.getResources(), DefaultResources.worker()), worker);
    }

    public static Service apiService(TeachTrack tt) {
        ApiServiceSpec service = tt.getSpec().getApi().getService();
        ObjectMeta metadata = ObjectMetas.of(tt, Names.api(tt), Labels.common(tt, Component.API));
        if (service.getAnnotations() != null && !service.getAnnotations().isEmpty()) {
            metadata.setAnnotations(new TreeMap<>(service.getAnnotations()));
        }
        return new ServiceBuilder()
                .withMetadata(metadata)
                .withNewSpec()
                .withType(Objects.requireNonNullElse(service.getType(), ServiceType.ClusterIP).name())
                .withSelector(Labels.selector(tt, Component.API))
                .addNewPort().withName("http").withPort(Names.API_PORT).withProtocol("TCP")
                .withTargetPort(new IntOrString("http")).endPort()
                .endSpec()
                .build();
    }

    /**
     * The pod count to patch, if any: with autoscaling off, the spec's replicas;
     * with it on, only raising a Deployment below the autoscaler's minimum (a new Deployment starts at 1, and an
     * HPA without metrics never scales); within the bounds the HPA decides alone.
     */
    public static OptionalInt replicasToSet(AutoscalingSpec autoscaling, int specReplicas, Integer current) {
        int now = current == null ? 1 : current;
        if (!Boolean.TRUE.equals(autoscaling.getEnabled())) {
            return now == specReplicas ? OptionalInt.empty() : OptionalInt.of(specReplicas);
        }
        return now < autoscaling.getMinReplicas() ? OptionalInt.of(autoscaling.getMinReplicas()) : OptionalInt.empty();
    }

    private static Deployment deployment(TeachTrack tt, Component role, String name, PlatformDefaults defaults,
                                         ResourceRequirements resources, PodOptionsSpec options) {
        var pullPolicy = tt.getSpec().getApi().getImagePullPolicy();
        Deployment deployment = new DeploymentBuilder()
                .withMetadata(ObjectMetas.of(tt, name, Labels.common(tt, role)))
                .withNewSpec()
                .withNewSelector().withMatchLabels(Labels.selector(tt, role)).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1)).endRollingUpdate().endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.common(tt, role)).endMetadata()
                .withNewSpec()
                .withSecurityContext(PodSecurity.pod(PodSecurity.APP_USER))
                // The image serves on for 10 s after SIGTERM, then waits up to 20 s for requests in flight.
                .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
                .withNewAffinity().withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(100)
                .withNewPodAffinityTerm().withTopologyKey("kubernetes.io/hostname")
                .withNewLabelSelector().withMatchLabels(Labels.selector(tt, role)).endLabelSelector()
                .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity().endAffinity()
                .addNewContainer()
                .withName(role.label())
                .withImage(defaults.apiImage(tt))
                .withImagePullPolicy(pullPolicy != null ? pullPolicy.name() : null)
                .withEnv(AppEnvironment.forRole(tt, role, defaults))
                .addNewPort().withName("http").withContainerPort(Names.API_PORT).withProtocol("TCP").endPort()
                .withResources(resources)
                .withSecurityContext(PodSecurity.container(true))
                .withNewReadinessProbe().withNewHttpGet().withPath("/q/health/ready").withPort(new IntOrString("http"))
                .endHttpGet().withInitialDelaySeconds(3).withPeriodSeconds(5).withTimeoutSeconds(3).endReadinessProbe()
                .withNewLivenessProbe().withNewHttpGet().withPath("/q/health/live").withPort(new IntOrString("http"))
                .endHttpGet().withInitialDelaySeconds(20).withPeriodSeconds(10).withTimeoutSeconds(3).endLivenessProbe()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        PodOptions.apply(deployment.getSpec().getTemplate(), tt, role, options);
        return deployment;
    }
}
