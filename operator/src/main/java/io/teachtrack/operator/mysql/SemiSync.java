package io.teachtrack.operator.mysql;

import java.sql.SQLException;
import java.util.Map;

/**
 * A server's semi-synchronous replication as the source side sees it.
 *
 * @param enabled          the server waits for replica acknowledgements before a commit returns
 * @param waitForReplicas  how many replicas must acknowledge (MariaDB: always 1)
 * @param active           the server is waiting for acknowledgements now (off would mean it fell back to asynchronous)
 * @param acknowledging    semi-synchronous replicas connected to this server
 */
public record SemiSync(boolean enabled, int waitForReplicas, boolean active, int acknowledging) {

    public static final SemiSync OFF = new SemiSync(false, 0, false, 0);

    /**
     * How many replicas must have a transaction before its commit returns: half of them, at least one, so that a
     * failover that can reach all but that many replicas minus one always finds every acknowledged transaction.
     */
    public static int required(int replicas) {
        return replicas == 0 ? 0 : Math.max(1, replicas / 2);
    }

    /** {@link #required} as the engine allows: MariaDB always waits for exactly one replica. */
    public static int required(int replicas, Dialect dialect) {
        return dialect.semiSyncWaitCount() == null ? Math.min(1, required(replicas)) : required(replicas);
    }

    /**
     * Reads the settings with {@code variables} (columns {@code enabled} and {@code wait_for}) and the two status variables
     * with SHOW GLOBAL STATUS, which answers even with the performance schema off.
     */
    static SemiSync read(SqlSession server, String variables, String statusVariable, String clientsVariable) throws SQLException {
        Map<String, Object> settings = server.queryRow(variables);
        String active = "";
        int clients = 0;
        for (Map<String, Object> row : server.query("SHOW GLOBAL STATUS WHERE Variable_name IN (?, ?)", statusVariable, clientsVariable)) {
            String name = String.valueOf(row.get("Variable_name"));
            String value = String.valueOf(row.get("Value"));
            if (name.equalsIgnoreCase(statusVariable)) {
                active = value;
            } else {
                clients = Integer.parseInt(value);
            }
        }
        return new SemiSync("1".equals(String.valueOf(settings.get("enabled"))), Integer.parseInt(String.valueOf(settings.get("wait_for"))),
                "ON".equalsIgnoreCase(active), clients);
    }
}
