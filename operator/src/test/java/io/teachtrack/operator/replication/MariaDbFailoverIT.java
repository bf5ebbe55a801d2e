package io.teachtrack.operator.replication;

import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.testkit.DatabaseEngine;

/** The failover scenarios on MariaDB 11.8 servers. */
class MariaDbFailoverIT extends FailoverScenarios {

    MariaDbFailoverIT() {
        super(DatabaseEngine.MARIADB, MysqlEngine.MariaDB);
    }
}
