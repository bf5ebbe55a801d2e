package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StorageModelTest {

    private final TeachTrack tt = TeachTracks.school();

    @Test
    void onlyClaimsSmallerThanTheSpecGrow() {
        tt.getSpec().getMysql().getStorage().setSize("20Gi");
        List<PersistentVolumeClaim> claims = List.of(claim("a", "10Gi"), claim("b", "20480Mi"), claim("c", "30Gi"));
        assertThat(StorageModel.claimsToGrow(tt, claims)).extracting(c -> c.getMetadata().getName()).containsExactly("a");
    }

    @Test
    void theStatefulSetRecordsTheSizeItsClaimsWereGrownTo() {
        tt.getSpec().getMysql().getStorage().setSize("25Gi");
        assertThat(MysqlModel.statefulSet(tt, TeachTracks.DEFAULTS, null).getMetadata().getAnnotations())
                .containsEntry(StorageModel.APPLIED_SIZE, "25Gi");
    }

    private static PersistentVolumeClaim claim(String name, String size) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNewResources().addToRequests("storage", new Quantity(size)).endResources().endSpec().build();
    }
}
