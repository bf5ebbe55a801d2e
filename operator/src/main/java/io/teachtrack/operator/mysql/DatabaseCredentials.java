package io.teachtrack.operator.mysql;

import java.util.List;

/** The passwords the operator needs from the credentials Secret. Never printed. */
public record DatabaseCredentials(String rootPassword, String appPassword, String replicationPassword) {

    public static final String ROOT_USER = "root";
    /** The hosts of the root accounts every server start sets from the Secret (start.sh). */
    public static final List<String> ROOT_HOSTS = List.of("localhost", "%");
    public static final String REPLICATION_USER = "teachtrack_repl";

    @Override
    public String toString() {
        return "DatabaseCredentials[redacted]";
    }
}
