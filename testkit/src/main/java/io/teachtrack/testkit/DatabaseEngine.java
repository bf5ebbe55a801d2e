package io.teachtrack.testkit;

import java.util.List;

/**
 * The two database engines as the tests drive them: which image runs each, and the few statements the tests need
 * to set up replication by hand (the operator's own dialects are what the operator's tests exercise).
 */
public enum DatabaseEngine {
    MYSQL("MySQL", "mysql"),
    MARIADB("MariaDB", "mariadb");

    private final String specName;
    private final String image;

    DatabaseEngine(String specName, String image) {
        this.specName = specName;
        this.image = image;
    }

    /** The engine's name in the TeachTrack spec and in the start script's TEACHTRACK_DB_ENGINE. */
    public String specName() {
        return specName;
    }

    /** The image {@code make images} builds for it. */
    public String image() {
        return image;
    }

    /** The engine's my.cnf file among the operator's database config files. */
    public String cnfFile() {
        return image + ".cnf";
    }

    public List<String> makeWritable() {
        return this == MYSQL ? List.of("SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = OFF")
                : List.of("SET GLOBAL read_only = OFF");
    }

    /** What the operator does to a server that must not take writes (a fenced former primary). */
    public List<String> makeReadOnly() {
        return this == MYSQL ? List.of("SET GLOBAL read_only = ON", "SET GLOBAL super_read_only = ON") : List.of("SET GLOBAL read_only = ON");
    }

    /** Points a replica at a source on 127.0.0.1 with GTID auto-positioning and starts it. */
    public List<String> replicateFrom(int port, String user, String password) {
        // Test-only values: fixed user, generated test passwords and ports, no input from outside.
        return this == MYSQL
                ? List.of("STOP REPLICA", "RESET REPLICA ALL",
                        "CHANGE REPLICATION SOURCE TO SOURCE_HOST = '127.0.0.1', SOURCE_PORT = " + port + ", SOURCE_USER = '" + user
                                + "', SOURCE_PASSWORD = '" + password + "', SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1",
                        "START REPLICA")
                : List.of("STOP SLAVE", "RESET SLAVE ALL",
                        "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = " + port + ", MASTER_USER = '" + user
                                + "', MASTER_PASSWORD = '" + password + "', MASTER_USE_GTID = slave_pos",
                        "START SLAVE");
    }

    public String stopApplying() {
        return this == MYSQL ? "STOP REPLICA SQL_THREAD" : "STOP SLAVE SQL_THREAD";
    }

    public String startApplying() {
        return this == MYSQL ? "START REPLICA SQL_THREAD" : "START SLAVE SQL_THREAD";
    }

    public String startReplica() {
        return this == MYSQL ? "START REPLICA" : "START SLAVE";
    }

    /** Replays each transaction only this many seconds after its source committed it. */
    public List<String> delay(int seconds) {
        return this == MYSQL
                ? List.of("STOP REPLICA", "CHANGE REPLICATION SOURCE TO SOURCE_DELAY = " + seconds, "START REPLICA")
                : List.of("STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY = " + seconds, "START SLAVE");
    }

    /** The GTIDs a server has executed, comparable between a source and its replicas. */
    public String executedGtids() {
        return this == MYSQL ? "SELECT @@GLOBAL.gtid_executed" : "SELECT @@GLOBAL.gtid_binlog_pos";
    }

    /** The GTIDs a replica has applied from its source. */
    public String appliedGtids() {
        return this == MYSQL ? "SELECT @@GLOBAL.gtid_executed" : "SELECT @@GLOBAL.gtid_slave_pos";
    }
}
