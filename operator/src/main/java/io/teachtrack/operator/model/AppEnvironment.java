package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.teachtrack.operator.api.v1alpha1.ApiSpec;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

import java.util.ArrayList;
import java.util.List;

/** The environment contract between the operator and the API image (DESIGN.md §6). */
public final class AppEnvironment {

    public static final String ROLE = "TEACHTRACK_ROLE";
    public static final String DB_PRIMARY_URL = "TEACHTRACK_DB_PRIMARY_URL";
    public static final String DB_REPLICA_URL = "TEACHTRACK_DB_REPLICA_URL";
    public static final String DB_USER = "TEACHTRACK_DB_USER";
    public static final String DB_PASSWORD = "TEACHTRACK_DB_PASSWORD";
    public static final String REDIS_URL = "TEACHTRACK_REDIS_URL";
    public static final String REDIS_PASSWORD = "TEACHTRACK_REDIS_PASSWORD";
    public static final String CACHE_TTL_SECONDS = "TEACHTRACK_CACHE_TTL_SECONDS";
    public static final String READ_MAX_LAG_SECONDS = "TEACHTRACK_READ_MAX_LAG_SECONDS";
    public static final String JWT_PUBLIC_KEY = "TEACHTRACK_JWT_PUBLIC_KEY";
    public static final String JWT_PRIVATE_KEY = "TEACHTRACK_JWT_PRIVATE_KEY";
    public static final String ADMIN_PASSWORD = "TEACHTRACK_ADMIN_PASSWORD";
    /** Quarkus' own switch: one JSON object per log line. */
    public static final String LOG_JSON = "QUARKUS_LOG_CONSOLE_JSON_ENABLED";

    private AppEnvironment() {
    }

    public static List<EnvVar> forRole(TeachTrack tt, Component role, PlatformDefaults defaults) {
        ApiSpec api = tt.getSpec().getApi();
        List<EnvVar> env = new ArrayList<>();
        env.add(plain(ROLE, role.label()));
        env.add(plain(DB_PRIMARY_URL, jdbcUrl(tt, Names.mysqlPrimary(tt))));
        if (tt.getSpec().getMysql().getReplicas() > 0 && Boolean.TRUE.equals(api.getReadSplit().getEnabled())) {
            env.add(plain(DB_REPLICA_URL, jdbcUrl(tt, Names.mysqlReplicas(tt))));
        }
        env.add(plain(DB_USER, Names.APP_USER));
        env.add(SecretEnv.of(DB_PASSWORD, Names.credentials(tt), CredentialKeys.MYSQL_APP_PASSWORD));
        if (Boolean.TRUE.equals(api.getCache().getEnabled())) {
            env.add(plain(REDIS_URL, "redis://" + Names.serviceHost(tt, Names.redis(tt)) + ":" + Names.REDIS_PORT));
            env.add(SecretEnv.of(REDIS_PASSWORD, Names.credentials(tt), CredentialKeys.REDIS_PASSWORD));
        }
        env.add(plain(CACHE_TTL_SECONDS, String.valueOf(api.getCache().getTtlSeconds())));
        env.add(plain(READ_MAX_LAG_SECONDS, String.valueOf(api.getReadSplit().getMaxReplicaLagSeconds())));
        env.add(SecretEnv.of(JWT_PUBLIC_KEY, Names.credentials(tt), CredentialKeys.JWT_PUBLIC_KEY));
        env.add(SecretEnv.of(JWT_PRIVATE_KEY, Names.credentials(tt), CredentialKeys.JWT_PRIVATE_KEY));
        env.add(SecretEnv.of(ADMIN_PASSWORD, Names.credentials(tt), CredentialKeys.ADMIN_PASSWORD));
        if (defaults.logFormat() == LogFormat.JSON) {
            env.add(plain(LOG_JSON, "true"));
        }
        return env;
    }

    public static String jdbcUrl(TeachTrack tt, String service) {
        return "jdbc:mysql://" + Names.serviceHost(tt, service) + ":" + Names.MYSQL_PORT + "/" + Names.APP_DATABASE;
    }

    private static EnvVar plain(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}
