package io.teachtrack.api.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The environment contract the operator sets (DESIGN §6): {@code TEACHTRACK_DB_PRIMARY_URL} is
 * {@code teachtrack.db.primary-url}, and so on. Everything else has a default that suits a pod.
 */
@ConfigMapping(prefix = "teachtrack")
public interface AppConfig {

    /** {@code api} serves HTTP; {@code worker} also runs jobs. Both keep health and metrics. */
    @WithDefault("api")
    Role role();

    Db db();

    /** Absent when the cache is off. */
    @WithName("redis-url")
    Optional<String> redisUrl();

    /**
     * Off keeps Redis for read-your-writes markers only and caches nothing: for benchmarks that compare the cache on
     * and off with everything else equal. The operator turns the cache off by not giving a Redis URL.
     */
    @WithName("cache-enabled")
    @WithDefault("true")
    boolean cacheEnabled();

    @WithName("cache-ttl-seconds")
    @WithDefault("1800")
    int cacheTtlSeconds();

    @WithName("read-max-lag-seconds")
    @WithDefault("2")
    int readMaxLagSeconds();

    /**
     * On (the default): a user's reads avoid replicas that lack their own recent writes, and cache refills right after
     * a write read the primary. Off gives the naive split, which the benchmarks compare against.
     */
    @WithName("read-your-writes")
    @WithDefault("true")
    boolean readYourWrites();

    @WithName("admin-password")
    String adminPassword();

    Jwt jwt();

    Redis redis();

    RateLimit rateLimit();

    Login login();

    Worker worker();

    enum Role { api, worker }

    interface Db {
        @WithName("primary-url")
        String primaryUrl();

        /** Absent when there are no replicas or the read split is off: everything then runs on the primary. */
        @WithName("replica-url")
        Optional<String> replicaUrl();

        String user();

        String password();

        @WithName("pool-size")
        @WithDefault("16")
        int poolSize();

        /** How long a request waits for a primary connection before it is answered 503. */
        @WithName("connect-timeout")
        @WithDefault("2s")
        Duration connectTimeout();

        /** Replica reads give up quickly and fall back to the primary. */
        @WithName("replica-connect-timeout")
        @WithDefault("500ms")
        Duration replicaConnectTimeout();

        /** How often the replica URL's host names are resolved again, to find replicas that joined or left. */
        @WithName("replica-discovery-interval")
        @WithDefault("2s")
        Duration replicaDiscoveryInterval();

        @WithName("heartbeat-interval")
        @WithDefault("250ms")
        Duration heartbeatInterval();
    }

    interface Jwt {
        @WithName("private-key")
        String privateKey();

        @WithDefault("teachtrack")
        String issuer();

        @WithName("token-lifetime")
        @WithDefault("15m")
        Duration tokenLifetime();
    }

    interface Redis {
        /** Every Redis command gives up after this: a slow or paused Redis costs at most this per request. */
        @WithDefault("100ms")
        Duration timeout();

        /** {@code TEACHTRACK_REDIS_PASSWORD}, from the credentials Secret; never part of the URL, so never logged with it. */
        Optional<String> password();
    }

    interface RateLimit {
        /**
         * Proxies (CIDRs, e.g. the ingress controller's pod network) whose {@code X-Forwarded-For} names the client for
         * per-address limits; none by default, so the header is ignored.
         */
        @WithName("trusted-proxies")
        Optional<List<String>> trustedProxies();

        /** Sustained requests per second per user (per client address before login). */
        @WithName("per-second")
        @WithDefault("100")
        int perSecond();

        @WithDefault("200")
        int burst();
    }

    /** Logins cost a bcrypt hash each: bounded per user name and per pod, before any hashing. */
    interface Login {
        /** Failed logins a user name may have in a row before it must wait; one more is allowed every {@link #failureRefill()}. */
        @WithName("failures-per-user")
        @WithDefault("10")
        int failuresPerUser();

        @WithName("failure-refill")
        @WithDefault("30s")
        Duration failureRefill();

        /** Password checks (bcrypt) a pod does per second at most; beyond, logins get 429 at no cost. */
        @WithName("hashes-per-second")
        @WithDefault("20")
        int hashesPerSecond();
    }

    interface Worker {
        @WithName("poll-interval")
        @WithDefault("500ms")
        Duration pollInterval();

        /** A claimed job whose worker stopped renewing for this long is claimed again by another worker. */
        @WithDefault("30s")
        Duration lease();

        @WithName("max-attempts")
        @WithDefault("5")
        int maxAttempts();

        /** Added before each job runs; a fault-injection knob for tests and demos, zero in production. */
        @WithName("simulated-work")
        @WithDefault("0s")
        Duration simulatedWork();
    }
}
