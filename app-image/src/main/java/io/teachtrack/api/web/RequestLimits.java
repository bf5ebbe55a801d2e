package io.teachtrack.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * Refusals below the REST layer, in problem+json like every other: a request line over {@link #MAX_URI_LENGTH} (the
 * HTTP codec admits lines up to {@code quarkus.http.limits.max-initial-line-length}, far more, so that the long ones
 * reach this filter; beyond that the codec itself answers a bare 414) and a body announced larger than
 * {@code quarkus.http.limits.max-body-size}, refused before it is read.
 */
@ApplicationScoped
public class RequestLimits {

    /** Longer than any URI of this API with its largest query; what most proxies allow. */
    static final int MAX_URI_LENGTH = 4096;
    /** Before authentication, rate limits and the server's own body-size check. */
    private static final int PRIORITY = 10_000;

    private final long maxBodyBytes;
    private final ObjectMapper json;

    public RequestLimits(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize, ObjectMapper json) {
        this.maxBodyBytes = maxBodySize.asLongValue();
        this.json = json;
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    private void check(RoutingContext context) {
        if (context.request().uri().length() > MAX_URI_LENGTH) {
            refuse(context, 414, "URI Too Long", "the request line is longer than " + MAX_URI_LENGTH + " characters");
            return;
        }
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && exceeds(length)) {
            refuse(context, 413, "Content Too Large", "the body is larger than " + maxBodyBytes + " bytes");
            return;
        }
        context.next();
    }

    private boolean exceeds(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false; // the codec refuses a malformed length itself
        }
    }

    private void refuse(RoutingContext context, int status, String title, String detail) {
        String body;
        try {
            body = json.writeValueAsString(new Problem("about:blank", title, status, detail, List.of()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem does not encode", e);
        }
        // The unread body, if any, is never read: the connection closes once the answer is out (Vert.x alone would keep
        // it open until the client had sent the whole body).
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close").end(body)
                .onComplete(sent -> context.request().connection().close());
    }
}
