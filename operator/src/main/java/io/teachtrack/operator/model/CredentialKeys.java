package io.teachtrack.operator.model;

import java.util.List;

/** Keys of the {@code <n>-credentials} Secret. */
public final class CredentialKeys {

    public static final String MYSQL_ROOT_PASSWORD = "mysql-root-password";
    /**
     * The operator's record of the root password every server was last seen to accept: how it still logs in to a
     * server after a person changed {@link #MYSQL_ROOT_PASSWORD}, to set the new one. Not for people to edit.
     */
    public static final String MYSQL_ROOT_PASSWORD_APPLIED = "mysql-root-password-applied";
    public static final String MYSQL_APP_PASSWORD = "mysql-app-password";
    public static final String MYSQL_REPLICATION_PASSWORD = "mysql-replication-password";
    public static final String ADMIN_PASSWORD = "admin-password";
    public static final String REDIS_PASSWORD = "redis-password";
    public static final String JWT_PRIVATE_KEY = "jwt-private-key";
    public static final String JWT_PUBLIC_KEY = "jwt-public-key";

    public static final List<String> PASSWORDS =
            List.of(MYSQL_ROOT_PASSWORD, MYSQL_APP_PASSWORD, MYSQL_REPLICATION_PASSWORD, ADMIN_PASSWORD, REDIS_PASSWORD);
    public static final List<String> ALL = List.of(MYSQL_ROOT_PASSWORD, MYSQL_APP_PASSWORD,
            MYSQL_REPLICATION_PASSWORD, ADMIN_PASSWORD, REDIS_PASSWORD, JWT_PRIVATE_KEY, JWT_PUBLIC_KEY);

    private CredentialKeys() {
    }
}
