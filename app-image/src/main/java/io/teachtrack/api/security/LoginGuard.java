package io.teachtrack.api.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.teachtrack.api.config.AppConfig;
import io.teachtrack.api.metrics.AppMetrics;
import io.teachtrack.api.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a login may cost, decided before any password is hashed. Failed logins are counted per user name, from
 * whatever address they come (behind an ingress every anonymous client shares one): a name that failed too often
 * waits, its right password included, so guessing it costs time, not just addresses. And the pod hashes at most
 * {@code hashes-per-second} passwords a second, so logins can never take the CPU the API needs. Both refuse with 429
 * and {@code Retry-After}. Per pod, like every rate limit here.
 */
@ApplicationScoped
public class LoginGuard {

    private final Cache<String, Bucket> failures = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1)).maximumSize(100_000).build();
    private final Bandwidth failureLimit;
    private final Bucket hashing;
    private final TimeMeter clock;
    private final AppMetrics metrics;

    @Inject
    public LoginGuard(AppConfig config, AppMetrics metrics) {
        this(config.login().failuresPerUser(), config.login().failureRefill(), config.login().hashesPerSecond(), TimeMeter.SYSTEM_NANOTIME,
                metrics);
    }

    LoginGuard(int failuresPerUser, Duration failureRefill, int hashesPerSecond, TimeMeter clock, AppMetrics metrics) {
        this.clock = clock;
        this.metrics = metrics;
        this.failureLimit = Bandwidth.builder().capacity(failuresPerUser).refillGreedy(1, failureRefill).build();
        this.hashing = Bucket.builder().withCustomTimePrecision(clock)
                .addLimit(Bandwidth.builder().capacity(hashesPerSecond).refillGreedy(hashesPerSecond, Duration.ofSeconds(1)).build())
                .build();
    }

    /** Before a password is checked: refuses a user name that failed too often, then a check over the pod's budget. */
    public void admit(String username) {
        Bucket failed = failures.getIfPresent(key(username));
        if (failed != null) {
            long waitNanos = failed.estimateAbilityToConsume(1).getNanosToWaitForRefill();
            if (waitNanos > 0) {
                metrics.login("refused_user");
                throw tooMany("too many failed logins for this user; wait before trying again", waitNanos);
            }
        }
        ConsumptionProbe hash = hashing.tryConsumeAndReturnRemaining(1);
        if (!hash.isConsumed()) {
            metrics.login("refused_busy");
            throw tooMany("too many logins right now; retry shortly", hash.getNanosToWaitForRefill());
        }
    }

    public void failed(String username) {
        metrics.login("failed");
        failures.get(key(username), name -> Bucket.builder().withCustomTimePrecision(clock).addLimit(failureLimit).build()).tryConsume(1);
    }

    public void succeeded() {
        metrics.login("succeeded");
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    private static ApiException tooMany(String detail, long nanos) {
        int seconds = (int) Math.max(1, Math.ceil(nanos / 1e9));
        return new ApiException(429, "Too Many Requests", detail, List.of(), seconds);
    }
}
