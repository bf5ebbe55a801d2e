package io.teachtrack.operator.dependent.mysql;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.config.OperatorSettings;
import io.teachtrack.operator.dependent.TeachTrackDependent;
import io.teachtrack.operator.model.Component;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.MysqlModel;
import io.teachtrack.operator.model.Names;
import io.teachtrack.operator.model.StorageModel;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code <n>-mysql}: the StatefulSet of every MySQL server. When {@code mysql.storage.size} grows, the existing claims are grown first
 * (claim templates cannot change), then the StatefulSet records the new size; only then is the size
 * considered applied, so a failed resize is retried. A resize the cluster refuses (a StorageClass without volume
 * expansion) is reported ({@link #RESIZE_REFUSED}, the {@code VolumesReady} condition) and everything else goes on.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MysqlStatefulSetDependent extends TeachTrackDependent<StatefulSet> {

    private static final Logger LOG = Logger.getLogger(MysqlStatefulSetDependent.class);
    /** Key, in the reconciliation's context, of why growing the volumes was refused (absent: it was not). */
    public static final String RESIZE_REFUSED = "mysql-volume-resize-refused";

    @Inject
    OperatorSettings settings;

    public MysqlStatefulSetDependent() {
        super(StatefulSet.class, Names::mysql);
    }

    @Override
    protected StatefulSet desired(TeachTrack primary, Context<TeachTrack> context) {
        StatefulSet existing = getSecondaryResource(primary, context).orElse(null);
        StatefulSet desired = MysqlModel.statefulSet(primary, settings.platformDefaults(), existing);
        if (context.managedWorkflowAndDependentResourceContext().get(RESIZE_REFUSED, String.class).isPresent()) {
            // The volumes did not grow: the StatefulSet keeps recording the size they have, so the growth is retried.
            Map<String, String> annotations = new HashMap<>(desired.getMetadata().getAnnotations());
            annotations.put(StorageModel.APPLIED_SIZE, appliedSize(existing));
            desired.getMetadata().setAnnotations(annotations);
        }
        return desired;
    }

    private static String appliedSize(StatefulSet statefulSet) {
        return statefulSet == null || statefulSet.getMetadata().getAnnotations() == null ? null
                : statefulSet.getMetadata().getAnnotations().get(StorageModel.APPLIED_SIZE);
    }

    @Override
    public ReconcileResult<StatefulSet> reconcile(TeachTrack primary, Context<TeachTrack> context) {
        getSecondaryResource(primary, context).ifPresent(actual -> {
            String wanted = primary.getSpec().getMysql().getStorage().getSize();
            if (!Objects.equals(appliedSize(actual), wanted)) {
                growClaims(primary, context, wanted);
            }
        });
        return super.reconcile(primary, context);
    }

    private void growClaims(TeachTrack primary, Context<TeachTrack> context, String size) {
        var claims = context.getClient().persistentVolumeClaims().inNamespace(primary.getMetadata().getNamespace())
                .withLabels(Labels.selector(primary, Component.MYSQL))
                .list().getItems();
        List<PersistentVolumeClaim> smaller = StorageModel.claimsToGrow(primary, claims);
        for (PersistentVolumeClaim claim : smaller) {
            LOG.infof("Growing volume %s/%s to %s", claim.getMetadata().getNamespace(), claim.getMetadata().getName(), size);
            try {
                context.getClient().persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                        .withName(claim.getMetadata().getName())
                        .edit(c -> {
                            c.getSpec().getResources().getRequests().put("storage", new Quantity(size));
                            return c;
                        });
            } catch (KubernetesClientException e) {
                if (e.getCode() != 403 && e.getCode() != 422) {
                    throw e;
                }
                // Refused by the cluster (admission): retrying at once changes nothing, and the rest must go on.
                String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
                LOG.warnf("Growing volume %s/%s to %s was refused: %s", claim.getMetadata().getNamespace(), claim.getMetadata().getName(),
                        size, reason);
                context.managedWorkflowAndDependentResourceContext().put(RESIZE_REFUSED, "Growing the MySQL volumes to " + size
                        + " was refused: " + reason);
                return;
            }
        }
    }
}
