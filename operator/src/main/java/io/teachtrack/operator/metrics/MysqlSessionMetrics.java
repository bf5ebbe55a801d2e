package io.teachtrack.operator.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.teachtrack.operator.mysql.SessionPool;
import jakarta.inject.Singleton;

/**
 * {@code teachtrack_mysql_sessions_opened_total} and {@code teachtrack_mysql_sessions_reused_total}: how often the
 * replication step logged in to a MySQL server, and how often it went on with the session of its previous pass.
 */
@Singleton
public class MysqlSessionMetrics {

    private final MeterRegistry registry;

    public MysqlSessionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void watch(SessionPool pool) {
        FunctionCounter.builder("teachtrack.mysql.sessions.opened", pool, SessionPool::opened)
                .description("Logins of the operator to MySQL servers").register(registry);
        FunctionCounter.builder("teachtrack.mysql.sessions.reused", pool, SessionPool::reused)
                .description("Passes that went on with the session the previous pass left to a MySQL server").register(registry);
    }
}
