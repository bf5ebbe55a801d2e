package io.teachtrack.operator.mysql;

import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each engine's statements and the parsing of replica status rows captured from real servers. */
class DialectTest {

    private final Dialect mysql = Dialect.of(MysqlEngine.MySQL);
    private final Dialect mariadb = Dialect.of(MysqlEngine.MariaDB);

    @Test
    void eachEngineOwnsItsConfigurationFileAndAdminClient() {
        assertThat(mysql.adminClient()).isEqualTo("mysqladmin");
        assertThat(mariadb.adminClient()).isEqualTo("mariadb-admin");
        for (Dialect dialect : new Dialect[] {mysql, mariadb}) {
            assertThat(getClass().getResource("/mysql/" + dialect.configFile())).as(dialect.engine() + " my.cnf").isNotNull();
        }
        assertThat(mysql.configFile()).isNotEqualTo(mariadb.configFile());
    }

    @Test
    void mysqlUsesTheSourceReplicaVocabularyWithAutoPositioning() {
        assertThat(mysql).isInstanceOf(MySqlDialect.class);
        assertThat(mysql.changeSource()).startsWith("CHANGE REPLICATION SOURCE TO SOURCE_HOST = ?, SOURCE_PORT = ?, SOURCE_USER = ?, SOURCE_PASSWORD = ?")
                .contains("SOURCE_AUTO_POSITION = 1").contains("GET_SOURCE_PUBLIC_KEY = 1");
        assertThat(mysql.startReplica()).isEqualTo("START REPLICA");
        assertThat(mysql.stopReplica()).isEqualTo("STOP REPLICA");
        assertThat(mysql.resetReplica()).isEqualTo("RESET REPLICA ALL");
        assertThat(mysql.resetOwnTransactions()).containsExactly("RESET BINARY LOGS AND GTIDS");
        assertThat(mysql.replicaStatus()).isEqualTo("SHOW REPLICA STATUS");
        assertThat(mysql.makeReadOnly()).containsExactly("SET GLOBAL read_only = ON", "SET GLOBAL super_read_only = ON");
        assertThat(mysql.makeWritable()).containsExactly("SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = OFF");
        assertThat(mysql.executedGtids()).contains("gtid_executed");
    }

    @Test
    void mariadbUsesTheMasterSlaveVocabularyWithSlavePos() {
        assertThat(mariadb.changeSource()).startsWith("CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?")
                .contains("MASTER_USE_GTID = slave_pos");
        assertThat(mariadb.startReplica()).isEqualTo("START SLAVE");
        assertThat(mariadb.stopReplica()).isEqualTo("STOP SLAVE");
        assertThat(mariadb.resetReplica()).isEqualTo("RESET SLAVE ALL");
        assertThat(mariadb.resetOwnTransactions()).containsExactly("RESET MASTER", "SET GLOBAL gtid_slave_pos = ''");
        assertThat(mariadb.replicaStatus()).isEqualTo("SHOW SLAVE STATUS");
        assertThat(mariadb.makeReadOnly()).containsExactly("SET GLOBAL read_only = ON");
        assertThat(mariadb.executedGtids()).contains("gtid_binlog_state");
    }

    @Test
    void noStatementCarriesAValue() {
        for (Dialect d : new Dialect[] {mysql, mariadb}) {
            assertThat(d.changeSource()).doesNotContain("'");
            assertThat(d.changeSource().chars().filter(c -> c == '?').count()).isEqualTo(4);
            assertThat(d.replicationGrant()).isEqualTo("GRANT REPLICATION SLAVE ON *.* TO ?@'%'");
        }
    }

    @Test
    void parsesARunningMySqlReplica() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("Replica_IO_State", "Waiting for source to send event");
        row.put("Source_Host", "school-mysql-0.school-mysql.edu.svc");
        row.put("Source_Port", 3306L);
        row.put("Replica_IO_Running", "Yes");
        row.put("Replica_SQL_Running", "Yes");
        row.put("Seconds_Behind_Source", 3L);
        row.put("Last_IO_Errno", 0);
        row.put("Last_IO_Error", "");
        row.put("Last_SQL_Errno", 0);
        row.put("Last_SQL_Error", "");
        row.put("Executed_Gtid_Set", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
        row.put("Auto_Position", 1);
        ReplicaState state = mysql.parseReplicaStatus(row);
        assertThat(state.configured()).isTrue();
        assertThat(state.running()).isTrue();
        assertThat(state.secondsBehind()).isEqualTo(3L);
        assertThat(state.sourceHost()).isEqualTo("school-mysql-0.school-mysql.edu.svc");
        assertThat(state.sourcePort()).isEqualTo(3306);
        assertThat(state.lastError()).isNull();
    }

    @Test
    void parsesAMariaDbReplicaWhoseSourceIsGone() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("Slave_IO_State", "Reconnecting after a failed master event read");
        row.put("Master_Host", "127.20.0.1");
        row.put("Master_Port", "3306");
        row.put("Slave_IO_Running", "Connecting");
        row.put("Slave_SQL_Running", "Yes");
        row.put("Seconds_Behind_Master", null);
        row.put("Last_IO_Errno", "2003");
        row.put("Last_IO_Error", "error reconnecting to master 'teachtrack_repl@127.20.0.1:3306' - retry-time: 5  maximum-retries: 100000  message: Can't connect to server on '127.20.0.1' (111 \"Connection refused\")");
        row.put("Last_SQL_Errno", "0");
        row.put("Last_SQL_Error", "");
        row.put("Using_Gtid", "Slave_Pos");
        ReplicaState state = mariadb.parseReplicaStatus(row);
        assertThat(state.running()).isFalse();
        assertThat(state.ioConnecting()).isTrue();
        assertThat(state.sqlRunning()).isTrue();
        assertThat(state.secondsBehind()).isNull();
        assertThat(state.transientFailure()).isTrue();
        assertThat(state.lastError()).startsWith("IO thread error 2003: error reconnecting to master");
    }

    @Test
    void aStoppedSqlThreadIsNotTransientAndPurgedLogsNeedSeeding() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("Slave_IO_Running", "Yes");
        row.put("Slave_SQL_Running", "No");
        row.put("Last_IO_Errno", 0);
        row.put("Last_SQL_Errno", 1062);
        row.put("Last_SQL_Error", "Could not execute Write_rows_v1 event on table teachtrack.subjects; Duplicate entry '3' for key 'PRIMARY'");
        ReplicaState diverged = mariadb.parseReplicaStatus(row);
        assertThat(diverged.transientFailure()).isFalse();
        assertThat(diverged.lastError()).startsWith("SQL thread error 1062");

        Map<String, Object> purged = new LinkedHashMap<>();
        purged.put("Slave_IO_Running", "No");
        purged.put("Slave_SQL_Running", "Yes");
        purged.put("Last_IO_Errno", 1236);
        purged.put("Last_IO_Error", "Got fatal error 1236 from master when reading data from binary log: 'Could not find GTID state requested by slave in any binlog files.'");
        purged.put("Last_SQL_Errno", 0);
        assertThat(mariadb.parseReplicaStatus(purged).needsSeeding()).isTrue();
    }

    @Test
    void noRowMeansNeverConfigured() {
        assertThat(mysql.parseReplicaStatus(null)).isEqualTo(ReplicaState.NOT_CONFIGURED);
        assertThat(mariadb.parseReplicaStatus(null).configured()).isFalse();
    }

    @Test
    void mariadbComparesGtidStatesWithoutTheServer() throws SQLException {
        assertThat(mariadb.subtract(null, "0-1-100", "0-1-100,0-2-5")).isEmpty();
        assertThat(mariadb.subtract(null, "0-1-100,0-101-3", "0-1-120")).isEqualTo("0-101-3");
    }

    @Test
    void errorsAreScrubbedOfBoundValues() {
        SQLException original = new SQLException("You have an error in your SQL syntax near 's3cret-Passw0rd' at line 1", "42000", 1064);
        SQLException scrubbed = SqlSession.scrub(original, new Object[] {"s3cret-Passw0rd", 3306});
        assertThat(scrubbed.getMessage()).doesNotContain("s3cret-Passw0rd").contains("****");
        assertThat(scrubbed.getErrorCode()).isEqualTo(1064);
        assertThat(scrubbed.getCause()).isNull();
    }

    @Test
    void invalidHostsAreRefusedBeforeAnyConnection() {
        Assertions.assertThatThrownBy(() ->
                        SqlSession.open("evil.example.com/?allowLoadLocalInfile=true", 3306, "root", "x",
                                Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
