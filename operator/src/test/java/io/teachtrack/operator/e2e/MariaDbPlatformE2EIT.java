package io.teachtrack.operator.e2e;

import io.teachtrack.operator.api.v1alpha1.MysqlEngine;

/** The platform end to end on the real node, on MariaDB 11.8. */
class MariaDbPlatformE2EIT extends PlatformScenarios {

    @Override
    MysqlEngine engine() {
        return MysqlEngine.MariaDB;
    }
}
