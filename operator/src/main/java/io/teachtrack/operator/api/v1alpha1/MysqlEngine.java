package io.teachtrack.operator.api.v1alpha1;

/** The database engine behind the MySQL StatefulSets; each has its own replication dialect. */
public enum MysqlEngine {
    MySQL, MariaDB
}
