package io.teachtrack.operator.mysql;

/** The passwords the operator needs from the credentials Secret. Never printed. */
public record DatabaseCredentials(String rootPassword, String appPassword, String replicationPassword) {

    public static final String ROOT_USER = "root";
    public static final String REPLICATION_USER = "teachtrack_repl";

    @Override
    public String toString() {
        return "DatabaseCredentials[redacted]";
    }
}
