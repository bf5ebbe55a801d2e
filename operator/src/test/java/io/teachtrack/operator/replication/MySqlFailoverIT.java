package io.teachtrack.operator.replication;

import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.testkit.DatabaseEngine;

/** The failover scenarios on MySQL 9.7 servers. */
class MySqlFailoverIT extends FailoverScenarios {

    MySqlFailoverIT() {
        super(DatabaseEngine.MYSQL, MysqlEngine.MySQL);
    }
}
