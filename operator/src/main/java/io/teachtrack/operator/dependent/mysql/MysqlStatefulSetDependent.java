package io.teachtrack.operator.dependent.mysql;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.config.OperatorSettings;
import io.teachtrack.operator.dependent.TeachTrackDependent;
import io.teachtrack.operator.model.Labels;
import io.teachtrack.operator.model.MysqlModel;
import io.teachtrack.operator.model.MysqlRole;
import io.teachtrack.operator.model.StorageModel;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A MySQL StatefulSet of one role. When {@code mysql.storage.size} grows, the existing claims are grown first
 * (claim templates cannot change), then the StatefulSet records the new size; only then is the size
 * considered applied, so a failed resize is retried.
 */
public abstract class MysqlStatefulSetDependent extends TeachTrackDependent<StatefulSet> {

    private static final Logger LOG = Logger.getLogger(MysqlStatefulSetDependent.class);

    @Inject
    OperatorSettings settings;

    private final MysqlRole role;

    protected MysqlStatefulSetDependent(MysqlRole role, Function<TeachTrack, String> childName) {
        super(StatefulSet.class, childName);
        this.role = role;
    }

    @Override
    protected StatefulSet desired(TeachTrack primary, Context<TeachTrack> context) {
        return MysqlModel.statefulSet(primary, role, settings.platformDefaults(), getSecondaryResource(primary, context).orElse(null));
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
                .withLabels(Map.of(Labels.INSTANCE, primary.getMetadata().getName(), Labels.ROLE, role.label()))
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
