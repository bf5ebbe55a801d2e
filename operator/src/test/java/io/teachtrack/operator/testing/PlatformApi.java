package io.teachtrack.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/** Calls to the TeachTrack API at one address (a pod or a Service), as a client inside the cluster would make them. */
public final class PlatformApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code retryAfter}: the Retry-After header, or null. */
    public record Response(int status, JsonNode body, String retryAfter) {
    }

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final String base;
    private final Duration timeout;
    /** Its own connections: a connection kept from an earlier step may lead to a pod the autoscaler removed since. */
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;

    public PlatformApi(String host, int port) {
        this(host, port, DEFAULT_TIMEOUT);
    }

    /** {@code timeout}: how long a request may wait for its answer. */
    public PlatformApi(String host, int port, Duration timeout) {
        this("http://" + host + ":" + port, timeout);
    }

    private PlatformApi(String base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
    }

    /**
     * One call as this caller on a connection of its own, closed afterwards: as a proxy opens upstream connections,
     * never reusing a kept-alive one whose pod is closing it (a race every HTTP/1.1 client retries or loses).
     */
    public <T> T onNewConnection(Function<PlatformApi, T> call) {
        PlatformApi fresh = new PlatformApi(base, timeout);
        fresh.token = token;
        try {
            return call.apply(fresh);
        } finally {
            fresh.http.close();
        }
    }

    public PlatformApi login(String username, String password) {
        Response response = post("/api/v1/auth/token", Map.of("username", username, "password", password));
        if (response.status() != 200) {
            throw new IllegalStateException("login as " + username + " answered " + response);
        }
        token = response.body().get("token").asText();
        return this;
    }

    public Response post(String path, Object body) {
        return json(exchange("POST", path, body));
    }

    public Response get(String path) {
        return json(exchange("GET", path, null));
    }

    /** The Prometheus lines of one metric, to explain a failed assertion. */
    public String metricLines(String name) {
        return PrometheusText.lines(exchange("GET", "/q/metrics", null).body(), name);
    }

    /** Sum of a Prometheus counter over the label sets that contain {@code labelFilter} (e.g. {@code target="replica"}). */
    public double counter(String name, String labelFilter) {
        return PrometheusText.sum(exchange("GET", "/q/metrics", null).body(), name, labelFilter);
    }

    private Response json(HttpResponse<String> response) {
        try {
            return new Response(response.statusCode(), response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body()),
                    response.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    private HttpResponse<String> exchange(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
            if (path.startsWith("/api/")) {
                request.header("Accept", "application/json");
            }
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + base + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
