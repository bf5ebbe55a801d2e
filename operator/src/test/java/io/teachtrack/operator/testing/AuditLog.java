package io.teachtrack.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The local kube-apiserver's audit log (policy in operator/scripts/cluster/audit-policy.yaml): every request a client
 * makes, except the nodes' and pods' own churn. Tests count a client's requests by its user or its user agent.
 */
public final class AuditLog {

    /** {@code authorized}: RBAC allowed it (a request may still be refused after that, by admission). */
    public record Request(String userAgent, String verb, String apiGroup, String resource, String subresource, String name,
                          String namespace, int code, String requestUri, String body, boolean authorized) {
        public boolean isWrite() {
            return !List.of("get", "list", "watch").contains(verb);
        }

        /** What RBAC must grant for it, as {@code group/resource[/subresource]:verb}. */
        public String permission() {
            return apiGroup + "/" + resource + (subresource.isEmpty() ? "" : "/" + subresource) + ":" + verb;
        }

        @Override
        public String toString() {
            return verb + " " + requestUri + " -> " + code + (body.isEmpty() ? "" : " " + body);
        }
    }

    private final Path file;

    public AuditLog(Path file) {
        this.file = file;
    }

    /** A position to read from later: requests logged before it are not returned. */
    public long mark() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The requests logged after {@code mark} by clients whose user agent starts with {@code userAgentPrefix}. */
    public List<Request> since(long mark, String userAgentPrefix) {
        return since(mark, event -> event.path("userAgent").asText("").startsWith(userAgentPrefix));
    }

    /** The requests logged after {@code mark} by one authenticated user (a ServiceAccount: system:serviceaccount:...). */
    public List<Request> byUser(long mark, String user) {
        return since(mark, event -> user.equals(event.path("user").path("username").asText()));
    }

    private List<Request> since(long mark, Predicate<JsonNode> wanted) {
        try {
            byte[] all = Files.readAllBytes(file);
            String tail = new String(all, (int) Math.min(mark, all.length), (int) Math.max(0, all.length - mark),
                    StandardCharsets.UTF_8);
            List<Request> requests = new ArrayList<>();
            for (String line : tail.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = Serialization.jsonMapper().readTree(line);
                if (!wanted.test(event)) {
                    continue;
                }
                JsonNode ref = event.path("objectRef");
                requests.add(new Request(event.path("userAgent").asText(""), event.path("verb").asText(), ref.path("apiGroup").asText(""),
                        ref.path("resource").asText(), ref.path("subresource").asText(""), ref.path("name").asText(), ref.path("namespace").asText(),
                        event.path("responseStatus").path("code").asInt(), event.path("requestURI").asText(),
                        event.has("requestObject") ? event.get("requestObject").toString() : "",
                        !"forbid".equals(event.path("annotations").path("authorization.k8s.io/decision").asText())));
            }
            return requests;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
