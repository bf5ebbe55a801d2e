package io.teachtrack.operator.testing;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;

import static io.teachtrack.operator.testing.ClusterWaits.await;

/** What a user does to a MySQL pod's volume, as docs/replication.md tells them. */
public final class MysqlVolumes {

    private MysqlVolumes() {
    }

    /**
     * Rebuilds a MySQL pod on an empty volume (an excluded former primary): its claim and its pod are deleted, and the
     * StatefulSet recreates both; the new server replicates everything from the primary. Returns once the new claim
     * exists.
     */
    public static void rebuildOnEmptyVolume(KubernetesClient client, String namespace, String pod, Duration atMost) {
        String claim = "data-" + pod;
        String oldClaim = client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get().getMetadata().getUid();
        client.persistentVolumeClaims().inNamespace(namespace).withName(claim).delete();
        client.pods().inNamespace(namespace).withName(pod).delete();
        // A pod the StatefulSet recreates while the old claim is still being deleted cannot start: delete it again.
        await().atMost(atMost).until(() -> {
            PersistentVolumeClaim current = client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
            if (current != null && current.getMetadata().getUid().equals(oldClaim)) {
                Pod recreated = client.pods().inNamespace(namespace).withName(pod).get();
                if (recreated != null && recreated.getMetadata().getDeletionTimestamp() == null) {
                    client.pods().inNamespace(namespace).withName(pod).delete();
                }
                return false;
            }
            return current != null;
        });
    }
}
