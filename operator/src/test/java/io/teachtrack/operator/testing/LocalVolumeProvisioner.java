package io.teachtrack.operator.testing;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Test and demo tooling, not product code: kwok's fake nodes have no storage, so nothing would ever bind a
 * PersistentVolumeClaim and StatefulSet pods would stay Pending. This watches claims and creates a matching
 * hostPath PersistentVolume pre-bound to each; kube-controller-manager's binder then binds them for real.
 */
public final class LocalVolumeProvisioner implements AutoCloseable {

    private final KubernetesClient client;
    private final SharedIndexInformer<PersistentVolumeClaim> informer;

    private LocalVolumeProvisioner(KubernetesClient client) {
        this.client = client;
        this.informer = client.persistentVolumeClaims().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(PersistentVolumeClaim claim) {
                provision(claim);
            }

            @Override
            public void onUpdate(PersistentVolumeClaim before, PersistentVolumeClaim claim) {
                provision(claim);
            }

            @Override
            public void onDelete(PersistentVolumeClaim claim, boolean unknownFinalState) {
                // Volumes are retained like the claims' StatefulSets ask; tests delete their namespaces.
            }
        });
    }

    public static LocalVolumeProvisioner start(KubernetesClient client) {
        return new LocalVolumeProvisioner(client);
    }

    private void provision(PersistentVolumeClaim claim) {
        if (claim.getSpec().getVolumeName() != null && !claim.getSpec().getVolumeName().isEmpty()) {
            return;
        }
        String name = "local-" + claim.getMetadata().getNamespace() + "-" + claim.getMetadata().getName();
        PersistentVolume volume = new PersistentVolumeBuilder()
                .withNewMetadata().withName(name).addToLabels("teachtrack.io/local-volume", "true").endMetadata()
                .withNewSpec()
                .withCapacity(claim.getSpec().getResources().getRequests())
                .withAccessModes(claim.getSpec().getAccessModes())
                .withStorageClassName(claim.getSpec().getStorageClassName())
                .withPersistentVolumeReclaimPolicy("Delete")
                .withNewHostPath().withPath("/tmp/teachtrack-volumes/" + name).withType("DirectoryOrCreate").endHostPath()
                .withClaimRef(new ObjectReferenceBuilder().withNamespace(claim.getMetadata().getNamespace())
                        .withName(claim.getMetadata().getName()).withUid(claim.getMetadata().getUid()).build())
                .endSpec()
                .build();
        try {
            client.persistentVolumes().resource(volume).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        informer.close();
    }
}
