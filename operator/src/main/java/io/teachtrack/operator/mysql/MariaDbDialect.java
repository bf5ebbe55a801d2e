package io.teachtrack.operator.mysql;

import io.teachtrack.operator.api.v1alpha1.MysqlEngine;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** MariaDB 11.4 and 11.8: master/slave vocabulary, read_only, GTID states compared in Java per domain. */
public final class MariaDbDialect implements Dialect {

    @Override
    public MysqlEngine engine() {
        return MysqlEngine.MariaDB;
    }

    @Override
    public String configFile() {
        return "mariadb.cnf";
    }

    @Override
    public String adminClient() {
        return "mariadb-admin";
    }

    @Override
    public String changeSource() {
        return "CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?,"
                + " MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 5";
    }

    @Override
    public String startReplica() {
        return "START SLAVE";
    }

    @Override
    public String stopReplica() {
        return "STOP SLAVE";
    }

    @Override
    public String stopReplicaIo() {
        return "STOP SLAVE IO_THREAD";
    }

    /**
     * slave_pos replication starts from gtid_slave_pos, which only replication moves: on a former primary it predates
     * everything it wrote. Its binary log holds everything it executed, replicated or not (log_slave_updates).
     */
    @Override
    public List<String> alignReplicaPosition() {
        return List.of("SET GLOBAL gtid_slave_pos = @@GLOBAL.gtid_binlog_pos");
    }

    @Override
    public String resetReplica() {
        return "RESET SLAVE ALL";
    }

    @Override
    public List<String> resetOwnTransactions() {
        return List.of("RESET MASTER", "SET GLOBAL gtid_slave_pos = ''");
    }

    @Override
    public String replicaStatus() {
        return "SHOW SLAVE STATUS";
    }

    @Override
    public ReplicaState parseReplicaStatus(Map<String, Object> row) {
        if (row == null) {
            return ReplicaState.NOT_CONFIGURED;
        }
        return StatusRows.parse(row, "Slave_IO_Running", "Slave_SQL_Running", "Seconds_Behind_Master",
                "Master_Host", "Master_Port", "Gtid_IO_Pos");
    }

    /** MariaDB has no offline mode: fencing relies on killing the sessions, and on the Service no longer sending any. */
    @Override
    public List<String> refuseClients() {
        return List.of();
    }

    @Override
    public List<String> admitClients() {
        return List.of();
    }

    @Override
    public List<String> makeReadOnly() {
        return List.of("SET GLOBAL read_only = ON");
    }

    @Override
    public List<String> makeWritable() {
        return List.of("SET GLOBAL read_only = OFF");
    }

    @Override
    public String readOnlyQuery() {
        return "SELECT @@GLOBAL.read_only AS read_only";
    }

    @Override
    public String executedGtids() {
        return "SELECT @@GLOBAL.gtid_binlog_state AS gtids";
    }

    @Override
    public SemiSync semiSync(SqlSession server) throws SQLException {
        return SemiSync.read(server, "SELECT @@GLOBAL.rpl_semi_sync_master_enabled AS enabled, 1 AS wait_for",
                "Rpl_semi_sync_master_status", "Rpl_semi_sync_master_clients");
    }

    @Override
    public String enableSemiSync() {
        return "SET GLOBAL rpl_semi_sync_master_enabled = ON";
    }

    @Override
    public String disableSemiSync() {
        return "SET GLOBAL rpl_semi_sync_master_enabled = OFF";
    }

    /** MariaDB waits for exactly one replica's acknowledgement; there is no count to set. */
    @Override
    public String semiSyncWaitCount() {
        return null;
    }

    /** MASTER_GTID_WAIT takes one GTID per domain: the binary log's position, not its per-server state. */
    @Override
    public String executedPosition() {
        return "SELECT @@GLOBAL.gtid_binlog_pos AS position";
    }

    /** MASTER_GTID_WAIT answers 0 once the replica's applied position reached the GTIDs, -1 on timeout. */
    @Override
    public String waitForApplied() {
        return "SELECT MASTER_GTID_WAIT(?, ?) AS waited";
    }

    @Override
    public String replicationGrant() {
        return "GRANT REPLICATION SLAVE ON *.* TO ?@'%'";
    }

    @Override
    public String subtract(SqlSession server, String gtids, String minus) {
        return MariaDbGtidState.parse(gtids).notIn(MariaDbGtidState.parse(minus)).toString();
    }

    /**
     * MariaDB keeps no purged set; the Gtid_list event at the start of the oldest binary log says what came
     * before it. (A replica with an empty position would otherwise silently start from that log and miss
     * everything purged.)
     */
    @Override
    public String purgedGtids(SqlSession server) throws SQLException {
        var logs = server.query("SHOW BINARY LOGS");
        if (logs.isEmpty()) {
            return "";
        }
        String oldest = logs.get(0).get("Log_name").toString();
        for (var event : server.query("SHOW BINLOG EVENTS IN ? LIMIT 5", oldest)) {
            if ("Gtid_list".equals(String.valueOf(event.get("Event_type")))) {
                String info = String.valueOf(event.get("Info"));
                return info.replace("[", "").replace("]", "").trim();
            }
        }
        return "";
    }

    @Override
    public boolean onlyOwnTransactions(SqlSession server, String gtids) throws SQLException {
        return MariaDbGtidState.parse(gtids).onlyFrom(serverId(server));
    }

    @Override
    public String withoutOwnTransactions(SqlSession server, String gtids) throws SQLException {
        return MariaDbGtidState.parse(gtids).notFrom(serverId(server)).toString();
    }

    private static long serverId(SqlSession server) throws SQLException {
        return Long.parseLong(server.queryString("SELECT @@GLOBAL.server_id AS id"));
    }

    @Override
    public void setPasswordKeepingOld(SqlSession server, String user, String password) throws SQLException {
        // MariaDB has no dual passwords, but an account may be opened by any of several authentications: the new
        // password, or the hash the account has now (read as root, never the password itself).
        String current = server.queryString("SELECT JSON_VALUE(Priv, '$.authentication_string') FROM mysql.global_priv"
                + " WHERE User = ? AND Host = '%'", user);
        if (current.isEmpty()) {
            throw new SQLException("user " + user + " has no password to keep");
        }
        server.execute("ALTER USER ?@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD(?) OR mysql_native_password USING ?",
                user, password, current);
    }

    @Override
    public boolean keepsOldPassword(SqlSession server, String user) throws SQLException {
        // auth_or lists every authentication; its entry for the main one is empty, each other one has a hash.
        return server.queryLong("SELECT COALESCE(JSON_LENGTH(JSON_EXTRACT(Priv, '$.auth_or[*].authentication_string')), 0)"
                + " FROM mysql.global_priv WHERE User = ? AND Host = '%'", user) > 0;
    }

    @Override
    public String changeSourcePassword() {
        return "CHANGE MASTER TO MASTER_PASSWORD = ?";
    }

    @Override
    public void discardOldPassword(SqlSession server, String user, String password) throws SQLException {
        server.execute("ALTER USER ?@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD(?)", user, password);
    }

    @Override
    public void setRootPassword(SqlSession server, String password) throws SQLException {
        // root holds READ_ONLY ADMIN (all privileges), so read_only does not stop it on a replica.
        server.execute("SET SESSION sql_log_bin = 0");
        try {
            for (String host : DatabaseCredentials.ROOT_HOSTS) {
                server.execute("ALTER USER ?@? IDENTIFIED BY ?", DatabaseCredentials.ROOT_USER, host, password);
            }
        } finally {
            server.execute("SET SESSION sql_log_bin = 1");
        }
    }
}
