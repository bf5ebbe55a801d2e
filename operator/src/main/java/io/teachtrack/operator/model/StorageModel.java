package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

import java.util.List;

/**
 * Growing MySQL volumes. StatefulSet claim templates are immutable, so a larger {@code mysql.storage.size}
 * is applied to each existing claim; the StatefulSet records the size it last applied in an annotation.
 */
public final class StorageModel {

    /** On the MySQL StatefulSets: the {@code mysql.storage.size} their claims were last grown to. */
    public static final String APPLIED_SIZE = "teachtrack.io/storage-size";

    private StorageModel() {
    }

    /** The claims of the TeachTrack that request less than {@code mysql.storage.size}; never any to shrink. */
    public static List<PersistentVolumeClaim> claimsToGrow(TeachTrack tt, List<PersistentVolumeClaim> claims) {
        Quantity wanted = new Quantity(tt.getSpec().getMysql().getStorage().getSize());
        return claims.stream()
                .filter(c -> c.getSpec() != null && c.getSpec().getResources() != null
                        && c.getSpec().getResources().getRequests() != null)
                .filter(c -> {
                    Quantity current = c.getSpec().getResources().getRequests().get("storage");
                    return current != null && Quantity.getAmountInBytes(current).compareTo(Quantity.getAmountInBytes(wanted)) < 0;
                })
                .toList();
    }
}
