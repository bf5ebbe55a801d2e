package io.teachtrack.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.status.TransitionEvents.EventSpec;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Writes core/v1 Events on a TeachTrack, so `kubectl describe tt` tells its story. */
@ApplicationScoped
public class EventRecorder {

    static final String COMPONENT = "teachtrack-operator";
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    private final KubernetesClient client;

    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    public void record(TeachTrack tt, EventSpec event) {
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        var k8sEvent = new EventBuilder()
                .withNewMetadata().withGenerateName(tt.getMetadata().getName() + ".")
                .withNamespace(tt.getMetadata().getNamespace()).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(tt.getApiVersion()).withKind(tt.getKind())
                        .withName(tt.getMetadata().getName()).withNamespace(tt.getMetadata().getNamespace())
                        .withUid(tt.getMetadata().getUid()).build())
                .withType(event.type()).withReason(event.reason()).withMessage(event.message())
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(System.getenv().getOrDefault("HOSTNAME", COMPONENT))
                .build();
        try {
            client.v1().events().inNamespace(tt.getMetadata().getNamespace()).resource(k8sEvent).create();
        } catch (KubernetesClientException e) {
            // An event is a courtesy: failing to write one must not fail the reconciliation.
            LOG.warnf("Could not record event %s on TeachTrack %s/%s: %s", event.reason(),
                    tt.getMetadata().getNamespace(), tt.getMetadata().getName(), e.getMessage());
        }
    }
}
