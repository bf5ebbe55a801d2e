package io.teachtrack.operator.mysql;

import io.teachtrack.operator.api.v1alpha1.MysqlEngine;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** MySQL 8.4 and 9.7: replica/source vocabulary, super_read_only, GTID set functions on the server. */
public final class MySqlDialect implements Dialect {

    @Override
    public MysqlEngine engine() {
        return MysqlEngine.MySQL;
    }

    @Override
    public String configFile() {
        return "mysql.cnf";
    }

    @Override
    public String adminClient() {
        return "mysqladmin";
    }

    @Override
    public String changeSource() {
        // GET_SOURCE_PUBLIC_KEY: caching_sha2_password without TLS needs the source's RSA key.
        return "CHANGE REPLICATION SOURCE TO SOURCE_HOST = ?, SOURCE_PORT = ?, SOURCE_USER = ?, SOURCE_PASSWORD = ?,"
                + " SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1, SOURCE_CONNECT_RETRY = 5, SOURCE_RETRY_COUNT = 86400";
    }

    @Override
    public String startReplica() {
        return "START REPLICA";
    }

    @Override
    public String stopReplica() {
        return "STOP REPLICA";
    }

    @Override
    public String stopReplicaIo() {
        return "STOP REPLICA IO_THREAD";
    }

    /** Auto-positioning sends the executed set itself: nothing to align. */
    @Override
    public List<String> alignReplicaPosition() {
        return List.of();
    }

    @Override
    public String resetReplica() {
        return "RESET REPLICA ALL";
    }

    @Override
    public List<String> resetOwnTransactions() {
        return List.of("RESET BINARY LOGS AND GTIDS");
    }

    @Override
    public String replicaStatus() {
        return "SHOW REPLICA STATUS";
    }

    @Override
    public ReplicaState parseReplicaStatus(Map<String, Object> row) {
        if (row == null) {
            return ReplicaState.NOT_CONFIGURED;
        }
        return StatusRows.parse(row, "Replica_IO_Running", "Replica_SQL_Running", "Seconds_Behind_Source",
                "Source_Host", "Source_Port", "Retrieved_Gtid_Set");
    }

    /** offline_mode disconnects every client without CONNECTION_ADMIN and refuses new ones, waiting for nothing. */
    @Override
    public List<String> refuseClients() {
        return List.of("SET GLOBAL offline_mode = ON");
    }

    @Override
    public List<String> admitClients() {
        return List.of("SET GLOBAL offline_mode = OFF");
    }

    @Override
    public List<String> makeReadOnly() {
        // super_read_only also stops accounts with SUPER / CONNECTION_ADMIN, replication still applies.
        return List.of("SET GLOBAL read_only = ON", "SET GLOBAL super_read_only = ON");
    }

    @Override
    public List<String> makeWritable() {
        return List.of("SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = OFF");
    }

    @Override
    public String readOnlyQuery() {
        return "SELECT @@GLOBAL.super_read_only AS read_only";
    }

    @Override
    public String executedGtids() {
        return "SELECT @@GLOBAL.gtid_executed AS gtids";
    }

    @Override
    public SemiSync semiSync(SqlSession server) throws SQLException {
        return SemiSync.read(server, "SELECT @@GLOBAL.rpl_semi_sync_source_enabled AS enabled,"
                + " @@GLOBAL.rpl_semi_sync_source_wait_for_replica_count AS wait_for", "Rpl_semi_sync_source_status", "Rpl_semi_sync_source_clients");
    }

    @Override
    public String enableSemiSync() {
        return "SET GLOBAL rpl_semi_sync_source_enabled = ON";
    }

    @Override
    public String disableSemiSync() {
        return "SET GLOBAL rpl_semi_sync_source_enabled = OFF";
    }

    @Override
    public String semiSyncWaitCount() {
        return "SET GLOBAL rpl_semi_sync_source_wait_for_replica_count = ?";
    }

    @Override
    public String executedPosition() {
        return "SELECT @@GLOBAL.gtid_executed AS position";
    }

    @Override
    public String waitForApplied() {
        return "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS waited";
    }

    @Override
    public String replicationGrant() {
        return "GRANT REPLICATION SLAVE ON *.* TO ?@'%'";
    }

    @Override
    public String subtract(SqlSession server, String gtids, String minus) throws SQLException {
        return server.queryString("SELECT GTID_SUBTRACT(?, ?) AS missing", gtids, minus);
    }

    @Override
    public String purgedGtids(SqlSession server) throws SQLException {
        return server.queryString("SELECT @@GLOBAL.gtid_purged AS purged");
    }

    @Override
    public boolean onlyOwnTransactions(SqlSession server, String gtids) throws SQLException {
        String uuid = serverUuid(server);
        return parts(gtids).allMatch(part -> sourceOf(part).equalsIgnoreCase(uuid));
    }

    @Override
    public String withoutOwnTransactions(SqlSession server, String gtids) throws SQLException {
        String uuid = serverUuid(server);
        return String.join(",", parts(gtids).filter(part -> !sourceOf(part).equalsIgnoreCase(uuid)).toList());
    }

    private static String serverUuid(SqlSession server) throws SQLException {
        return server.queryString("SELECT @@GLOBAL.server_uuid AS uuid");
    }

    /** "uuid:1-5:7,uuid2[:tag]:3": one part per source. */
    private static Stream<String> parts(String gtids) {
        return Arrays.stream(gtids.replace("\n", "").split(",")).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static String sourceOf(String part) {
        return part.substring(0, part.indexOf(':'));
    }

    @Override
    public void setPasswordKeepingOld(SqlSession server, String user, String password) throws SQLException {
        // MySQL's dual passwords: the current one becomes the secondary (a secondary kept from an earlier rotation goes).
        server.execute("ALTER USER ?@'%' IDENTIFIED BY ? RETAIN CURRENT PASSWORD", user, password);
    }

    @Override
    public boolean keepsOldPassword(SqlSession server, String user) throws SQLException {
        return server.queryLong("SELECT COUNT(*) FROM mysql.user WHERE User = ? AND Host = '%'"
                + " AND JSON_CONTAINS_PATH(User_attributes, 'one', '$.additional_password')", user) > 0;
    }

    @Override
    public String changeSourcePassword() {
        return "CHANGE REPLICATION SOURCE TO SOURCE_PASSWORD = ?";
    }

    @Override
    public void discardOldPassword(SqlSession server, String user, String password) throws SQLException {
        server.execute("ALTER USER ?@'%' DISCARD OLD PASSWORD", user);
    }

    @Override
    public void setRootPassword(SqlSession server, String password) throws SQLException {
        // super_read_only refuses account changes even to root: lifted for this statement only. read_only stays on, so
        // no other account can write meanwhile.
        boolean superReadOnly = server.queryLong("SELECT @@GLOBAL.super_read_only") != 0;
        server.execute("SET SESSION sql_log_bin = 0");
        try {
            if (superReadOnly) {
                server.execute("SET GLOBAL super_read_only = OFF");
            }
            try {
                for (String host : DatabaseCredentials.ROOT_HOSTS) {
                    server.execute("ALTER USER ?@? IDENTIFIED BY ?", DatabaseCredentials.ROOT_USER, host, password);
                }
            } finally {
                if (superReadOnly) {
                    server.execute("SET GLOBAL super_read_only = ON");
                }
            }
        } finally {
            server.execute("SET SESSION sql_log_bin = 1");
        }
    }
}
