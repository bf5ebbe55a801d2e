package io.teachtrack.operator.e2e;

import io.teachtrack.operator.api.v1alpha1.MysqlEngine;

/** The platform end to end on the real node, on MySQL 9.7. */
class MySqlPlatformE2EIT extends PlatformScenarios {

    @Override
    MysqlEngine engine() {
        return MysqlEngine.MySQL;
    }
}
