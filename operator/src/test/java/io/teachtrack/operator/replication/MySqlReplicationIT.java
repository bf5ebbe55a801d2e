package io.teachtrack.operator.replication;

import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.testkit.DatabaseEngine;

/** The replication scenarios on MySQL 9.7 servers run from the mysql image. */
class MySqlReplicationIT extends ReplicationScenarios {

    MySqlReplicationIT() {
        super(DatabaseEngine.MYSQL, MysqlEngine.MySQL);
    }
}
