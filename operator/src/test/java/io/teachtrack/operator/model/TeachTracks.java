package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.api.v1alpha1.TeachTrackSpec;

/** Test fixtures: a TeachTrack as the API server returns it, defaults filled, carrying GitOps tracking metadata. */
public final class TeachTracks {

    public static final PlatformDefaults DEFAULTS =
            new PlatformDefaults("example.com/teachtrack-api:1.0", "localhost/teachtrack/mysql:9.7",
                    "localhost/teachtrack/mariadb:11.8", "localhost/teachtrack/redis:8.0", LogFormat.TEXT);

    private TeachTracks() {
    }

    public static TeachTrack school() {
        TeachTrack tt = new TeachTrack();
        tt.setMetadata(new ObjectMetaBuilder()
                .withName("school").withNamespace("edu").withUid("0d6b6c1e-0000-4000-8000-000000000001")
                .withGeneration(3L)
                .addToLabels("app.kubernetes.io/instance", "argo-app")
                .addToLabels("team", "platform")
                .addToAnnotations("argocd.argoproj.io/tracking-id", "argo-app:teachtrack.io/TeachTrack:edu/school")
                .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{}")
                .build());
        tt.setSpec(new TeachTrackSpec());
        return tt;
    }
}
