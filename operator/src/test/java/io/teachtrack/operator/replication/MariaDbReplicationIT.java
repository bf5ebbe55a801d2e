package io.teachtrack.operator.replication;

import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.testkit.DatabaseEngine;

/** The replication scenarios on MariaDB 11.8 servers run from the mariadb image. */
class MariaDbReplicationIT extends ReplicationScenarios {

    MariaDbReplicationIT() {
        super(DatabaseEngine.MARIADB, MysqlEngine.MariaDB);
    }
}
