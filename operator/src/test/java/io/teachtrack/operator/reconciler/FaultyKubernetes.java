package io.teachtrack.operator.reconciler;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fabric8 mock API server (CRUD mode) for fault injection: creating the credentials Secret first answers
 * 409 Conflict, then 500 seven times, then succeeds. The mock does not speak server-side apply, so the operator
 * under this test runs with SSA off (see {@link FaultInjectionTest}).
 */
public class FaultyKubernetes implements QuarkusTestResourceLifecycleManager {

    static final String NAMESPACE = "faults";
    static final int FAILURES_500 = 7;
    static final List<Instant> SECRET_ATTEMPTS = new CopyOnWriteArrayList<>();
    static final List<Integer> SECRET_CODES = new CopyOnWriteArrayList<>();
    static KubernetesMockServer server;

    @Override
    public Map<String, String> start() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        // Qualified: inside this class the simple name means the inherited QuarkusTestResourceLifecycleManager.Context.
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(TeachTrack.class));
        String secrets = "/api/v1/namespaces/" + NAMESPACE + "/secrets";
        server.expect().post().withPath(secrets).andReply(409, request -> fault(409, "AlreadyExists",
                "secrets \"school-credentials\" already exists")).once();
        server.expect().post().withPath(secrets).andReply(500, request -> fault(500, "InternalError",
                "etcdserver: request timed out")).times(FAILURES_500);
        // The Quarkus client settings are fixed at build time; fabric8's own properties configure it at run time.
        System.setProperty("kubernetes.master", server.url("/"));
        System.setProperty("kubernetes.trust.certificates", "true");
        System.setProperty("kubernetes.namespace", NAMESPACE);
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        // The client itself retries 5xx answers with back-off; without that every fault reaches the operator,
        // whose own retry is what this test watches.
        System.setProperty("kubernetes.request.retry.backoffLimit", "0");
        return Map.of("quarkus.operator-sdk.controllers.teachtrack.namespaces", NAMESPACE);
    }

    private static Status fault(int code, String reason, String message) {
        SECRET_ATTEMPTS.add(Instant.now());
        SECRET_CODES.add(code);
        return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build();
    }

    @Override
    public void stop() {
        for (String property : new String[] {"kubernetes.master", "kubernetes.trust.certificates", "kubernetes.namespace",
                "kubernetes.auth.tryKubeConfig", "kubernetes.request.retry.backoffLimit"}) {
            System.clearProperty(property);
        }
        if (server != null) {
            server.destroy();
        }
    }
}
