package io.teachtrack.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.teachtrack.operator.api.v1alpha1.Phase;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.model.CredentialKeys;
import io.teachtrack.operator.status.Conditions;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault injection on the fabric8 mock server: a child write that fails with 409 and then 500 twice is retried
 * with growing back-off, the failure shows in status and events, and the operator keeps running and recovers.
 */
@QuarkusTest
@TestProfile(FaultInjectionTest.WithoutServerSideApply.class)
@QuarkusTestResource(value = FaultyKubernetes.class, restrictToAnnotatedClass = true)
class FaultInjectionTest {

    /** The mock answers 415 to server-side apply, so this operator writes with create/update/merge patch. */
    public static class WithoutServerSideApply implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A short back-off keeps the test fast; its growth is what is checked.
            return Map.of("quarkus.operator-sdk.enable-ssa", "false",
                    "quarkus.operator-sdk.controllers.teachtrack.retry.interval.initial", "100",
                    "quarkus.operator-sdk.controllers.teachtrack.retry.interval.multiplier", "2");
        }
    }

    @Inject
    KubernetesClient client;

    @Test
    void failedChildWritesAreRetriedWithBackoffReportedAndSurvived() throws Exception {
        TeachTrack tt = new TeachTrack();
        tt.getMetadata().setName("school");
        tt.getMetadata().setNamespace(FaultyKubernetes.NAMESPACE);
        client.resource(tt).create();

        AtomicReference<TeachTrack> failedSnapshot = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            TeachTrack now = client.resources(TeachTrack.class).inNamespace(FaultyKubernetes.NAMESPACE).withName("school").get();
            if (now.getStatus() != null && now.getStatus().getPhase() == Phase.Failed) {
                failedSnapshot.compareAndSet(null, now);
            }
            return client.secrets().inNamespace(FaultyKubernetes.NAMESPACE).withName("school-credentials").get() != null;
        });

        assertThat(FaultyKubernetes.SECRET_CODES).hasSize(1 + FaultyKubernetes.FAILURES_500).startsWith(409, 500);
        // Events from the other children being created trigger early retries; after that the back-off alone
        // paces the attempts, each gap longer than the one before.
        var attempts = FaultyKubernetes.SECRET_ATTEMPTS;
        int n = attempts.size();
        Duration second = Duration.between(attempts.get(n - 3), attempts.get(n - 2));
        Duration last = Duration.between(attempts.get(n - 2), attempts.get(n - 1));
        System.out.printf("[figure] retry gaps before the Secret could be written: %s%n",
                IntStream.range(1, n).mapToObj(i -> Duration.between(attempts.get(i - 1), attempts.get(i)).toMillis() + "ms").toList());
        assertThat(last).as("retried after a back-off").isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(last).as("back-off grows").isGreaterThan(second);

        assertThat(failedSnapshot.get()).as("the failure was visible in status while it lasted").isNotNull();
        var degraded = Conditions.find(failedSnapshot.get().getStatus().getConditions(), "Degraded").orElseThrow();
        assertThat(degraded.getStatus()).isEqualTo("True");
        assertThat(degraded.getReason()).isEqualTo("ReconcileError");
        assertThat(degraded.getMessage()).startsWith("credentials: ").doesNotContain("\tat ", "Exception(s)");
        assertThat(client.v1().events().inNamespace(FaultyKubernetes.NAMESPACE).list().getItems())
                .anyMatch(e -> "Failed".equals(e.getReason()) && "Warning".equals(e.getType()));

        Secret secret = client.secrets().inNamespace(FaultyKubernetes.NAMESPACE).withName("school-credentials").get();
        assertThat(secret.getData()).containsKeys(CredentialKeys.ALL.toArray(String[]::new))
                .containsEntry(CredentialKeys.MYSQL_ROOT_PASSWORD_APPLIED, secret.getData().get(CredentialKeys.MYSQL_ROOT_PASSWORD))
                .hasSize(CredentialKeys.ALL.size() + 1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            TeachTrack now = client.resources(TeachTrack.class).inNamespace(FaultyKubernetes.NAMESPACE).withName("school").get();
            // No pods run on a mock server, so after recovering the platform waits for its primary.
            assertThat(now.getStatus().getPhase()).isEqualTo(Phase.Provisioning);
            assertThat(Conditions.find(now.getStatus().getConditions(), "Degraded").orElseThrow().getStatus()).isEqualTo("False");
        });
        assertThat(client.configMaps().inNamespace(FaultyKubernetes.NAMESPACE).withName("school-mysql-config").get())
                .as("other children were not held back by the failing one").isNotNull();

        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(live.statusCode()).as("the operator is alive").isEqualTo(200);
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern("teachtrack_reconciliation_errors_total ([7-9]|[1-9][0-9])");
        }
    }
}
