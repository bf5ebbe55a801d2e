package io.teachtrack.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.teachtrack.operator.api.v1alpha1.AutoscalingSpec;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.model.AppModel;
import org.jboss.logging.Logger;

import java.util.function.Function;

/**
 * A Deployment whose pod count the operator patches on its own rather than in its applied spec
 * ({@link AppModel#replicasToSet}): with autoscaling off to the spec's replicas, with it on only up to the autoscaler's
 * minimum.
 */
public abstract class ScaledDeploymentDependent extends TeachTrackDependent<Deployment> {

    private static final Logger LOG = Logger.getLogger(ScaledDeploymentDependent.class);

    private final Function<TeachTrack, AutoscalingSpec> autoscaling;
    private final Function<TeachTrack, Integer> replicas;

    protected ScaledDeploymentDependent(Function<TeachTrack, String> childName, Function<TeachTrack, AutoscalingSpec> autoscaling,
                                        Function<TeachTrack, Integer> replicas) {
        super(Deployment.class, childName);
        this.autoscaling = autoscaling;
        this.replicas = replicas;
    }

    @Override
    public ReconcileResult<Deployment> reconcile(TeachTrack primary, Context<TeachTrack> context) {
        ReconcileResult<Deployment> result = super.reconcile(primary, context);
        result.getSingleResource().ifPresent(deployment -> {
            Integer current = deployment.getSpec() == null ? null : deployment.getSpec().getReplicas();
            AppModel.replicasToSet(autoscaling.apply(primary), replicas.apply(primary), current).ifPresent(target -> {
                LOG.infof("Scaling %s/%s from %s to %d pods", deployment.getMetadata().getNamespace(),
                        deployment.getMetadata().getName(), current, target);
                // A merge patch of the one field, addressed by the object in hand: one request and no read (by name
                // the client reads the object first; the scale subresource costs a read too, and permissions the chart
                // does not grant), an Update that never makes the operator's apply own the field.
                context.getClient().apps().deployments().resource(deployment)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + target + "}}");
            });
        });
        return result;
    }
}
