package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.mysql.Dialect;

import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code <n>-mysql-config} ConfigMap: the my.cnf fragments of the engine (GTIDs on, row-based binary
 * log; replicas read-only and not starting replication by themselves, the operator does that) and the start
 * script that derives server_id from the pod ordinal (primary 1, replica n → 100 + n).
 */
public final class MysqlConfigModel {

    public static final String COMMON_CNF = "common.cnf";
    public static final String PRIMARY_CNF = "primary.cnf";
    public static final String REPLICA_CNF = "replica.cnf";
    public static final String START_SCRIPT = "start.sh";
    public static final String SERVER_ID_BASE_ENV = "SERVER_ID_BASE";

    private MysqlConfigModel() {
    }

    public static ConfigMap desired(TeachTrack tt) {
        MysqlEngine engine = tt.getSpec().getMysql().getEngine();
        Map<String, String> data = new TreeMap<>();
        data.put(COMMON_CNF, commonCnf(engine));
        data.put(PRIMARY_CNF, primaryCnf(engine));
        data.put(REPLICA_CNF, replicaCnf(engine));
        data.put(START_SCRIPT, startScript(engine));
        return new ConfigMapBuilder()
                .withMetadata(ObjectMetas.of(tt, Names.mysqlConfig(tt), Labels.common(tt, Component.MYSQL)))
                .withData(data)
                .build();
    }

    static String commonCnf(MysqlEngine engine) {
        return switch (engine) {
            case MySQL -> """
                    [mysqld]
                    gtid_mode = ON
                    enforce_gtid_consistency = ON
                    log_bin = binlog
                    binlog_format = ROW
                    log_replica_updates = ON
                    skip_name_resolve = ON
                    """;
            case MariaDB -> """
                    [mariadbd]
                    log_bin = binlog
                    binlog_format = ROW
                    log_slave_updates = ON
                    gtid_strict_mode = ON
                    skip_name_resolve = ON
                    """;
        };
    }

    static String primaryCnf(MysqlEngine engine) {
        return "[" + Dialect.of(engine).cnfSection() + "]\n" + "read_only = OFF\n";
    }

    static String replicaCnf(MysqlEngine engine) {
        return switch (engine) {
            case MySQL -> """
                    [mysqld]
                    read_only = ON
                    super_read_only = ON
                    skip_replica_start = ON
                    relay_log = relay-bin
                    """;
            case MariaDB -> """
                    [mariadbd]
                    read_only = ON
                    skip_slave_start = ON
                    relay_log = relay-bin
                    """;
        };
    }

    static String startScript(MysqlEngine engine) {
        String daemon = engine == MysqlEngine.MariaDB ? "mariadbd" : "mysqld";
        return """
                #!/bin/sh
                # server_id = base of the role + ordinal of the pod (primary 1, replica n: 100 + n).
                set -eu
                ordinal="${HOSTNAME##*-}"
                exec docker-entrypoint.sh %s --server-id="$((%s + ordinal))"
                """.formatted(daemon, SERVER_ID_BASE_ENV);
    }

}
