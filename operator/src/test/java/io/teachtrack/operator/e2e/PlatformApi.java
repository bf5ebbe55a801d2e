package io.teachtrack.operator.e2e;

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

/** Calls to the TeachTrack API of one API pod, as a client inside the cluster would make them. */
final class PlatformApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Response(int status, JsonNode body) {
    }

    private final String base;
    private String token;

    PlatformApi(String podIp, int port) {
        this.base = "http://" + podIp + ":" + port;
    }

    PlatformApi login(String username, String password) {
        Response response = send("POST", "/api/v1/auth/token", Map.of("username", username, "password", password));
        if (response.status() != 200) {
            throw new IllegalStateException("login as " + username + " answered " + response);
        }
        token = response.body().get("token").asText();
        return this;
    }

    Response post(String path, Object body) {
        return send("POST", path, body);
    }

    Response get(String path) {
        return send("GET", path, null);
    }

    /** The Prometheus lines of one metric, to explain a failed assertion. */
    String metricLines(String name) {
        return String.join("\n", raw("/q/metrics").body().lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " ")).toList());
    }

    /** Sum of a Prometheus counter over the label sets that contain {@code labelFilter} (e.g. {@code target="replica"}). */
    double counter(String name, String labelFilter) {
        String text = raw("/q/metrics").body();
        return text.lines()
                .filter(l -> l.startsWith(name + "{") && l.contains(labelFilter))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private Response send(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
            return new Response(response.statusCode(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + base + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> raw(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
