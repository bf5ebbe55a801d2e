package io.teachtrack.api.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.teachtrack.api.config.AppConfig;
import io.teachtrack.api.web.Problem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.time.Duration;
import java.util.List;

/**
 * Per-user token buckets (per client address before login): a burst, then a steady rate; beyond it 429 with
 * {@code Retry-After}. Buckets are per pod, so the cluster-wide limit scales with the replicas, like the capacity.
 */
public class RateLimitFilter {

    private final CurrentIdentityAssociation identities;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();
    private final Bandwidth limit;
    private final ClientAddress clients;

    public RateLimitFilter(CurrentIdentityAssociation identities, AppConfig config) {
        this.identities = identities;
        this.clients = new ClientAddress(config.rateLimit().trustedProxies().orElse(List.of()));
        this.limit = Bandwidth.builder().capacity(config.rateLimit().burst())
                .refillGreedy(config.rateLimit().perSecond(), Duration.ofSeconds(1)).build();
    }

    @ServerRequestFilter
    public Uni<Response> limit(ContainerRequestContext request, HttpServerRequest http) {
        if (!request.getUriInfo().getPath().startsWith("/api/")) {
            return Uni.createFrom().nullItem();
        }
        String address = clients.of(http.remoteAddress() == null ? null : http.remoteAddress().hostAddress(),
                http.getHeader("X-Forwarded-For"));
        return identities.getDeferredIdentity()
                .onItemOrFailure().transform((identity, failure) -> check(key(identity, failure, address)));
    }

    private static String key(SecurityIdentity identity, Throwable failure, String address) {
        return failure != null || identity == null || identity.isAnonymous() ? "address:" + address : "user:" + identity.getPrincipal().getName();
    }

    private Response check(String key) {
        ConsumptionProbe probe = buckets.get(key, k -> Bucket.builder().addLimit(limit).build()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return null;
        }
        int retryAfter = (int) Math.max(1, Math.ceil(probe.getNanosToWaitForRefill() / 1e9));
        return Problem.response(429, "Too Many Requests", "slow down: too many requests from you", List.of(), retryAfter);
    }
}
