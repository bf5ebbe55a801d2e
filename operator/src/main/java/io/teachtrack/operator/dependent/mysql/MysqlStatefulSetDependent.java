package io.teachtrack.operator.dependent.mysql;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
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

import java.util.List;
import java.util.Objects;

/**
 * {@code <n>-mysql}: the StatefulSet of every MySQL server. When {@code mysql.storage.size} grows, the existing claims are grown first
 * (claim templates cannot change), then the StatefulSet records the new size; only then is the size
 * considered applied, so a failed resize is retried.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MysqlStatefulSetDependent extends TeachTrackDependent<StatefulSet> {

    private static final Logger LOG = Logger.getLogger(MysqlStatefulSetDependent.class);

    @Inject
    OperatorSettings settings;

    public MysqlStatefulSetDependent() {
        super(StatefulSet.class, Names::mysql);
    }

    @Override
    protected StatefulSet desired(TeachTrack primary, Context<TeachTrack> context) {
        return MysqlModel.statefulSet(primary, settings.platformDefaults(), getSecondaryResource(primary, context).orElse(null));
    }

    @Override
    public ReconcileResult<StatefulSet> reconcile(TeachTrack primary, Context<TeachTrack> context) {
        getSecondaryResource(primary, context).ifPresent(actual -> {
            String applied = actual.getMetadata().getAnnotations() == null ? null
                    : actual.getMetadata().getAnnotations().get(StorageModel.APPLIED_SIZE);
            String wanted = primary.getSpec().getMysql().getStorage().getSize();
            if (!Objects.equals(applied, wanted)) {
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
            context.getClient().persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                    .withName(claim.getMetadata().getName())
                    .edit(c -> {
                        c.getSpec().getResources().getRequests().put("storage", new Quantity(size));
                        return c;
                    });
        }
    }
}
