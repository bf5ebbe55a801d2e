package io.teachtrack.api.db;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.teachtrack.api.testing.Platform;
import io.teachtrack.testkit.DatabaseServer;
import io.teachtrack.testkit.ReplicatedDatabases;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Many pods starting at once against an empty primary: every migration runs exactly once and nobody fails. */
class ConcurrentMigrationsTest {

    private static final int PODS = 6;

    @Test
    void podsStartingTogetherMigrateTheSchemaOnce() throws Exception {
        try (DatabaseServer primary = DatabaseServer.builder(Platform.ENGINE,
                Path.of("target", "concurrent-migrations", Platform.ENGINE.image()).toAbsolutePath(), "primary-0").build().start()) {
            primary.makeWritable();
            primary.sql("DROP DATABASE IF EXISTS teachtrack");
            ReplicatedDatabases.provisionApp(primary);
            CyclicBarrier together = new CyclicBarrier(PODS);
            ExecutorService pods = Executors.newFixedThreadPool(PODS);
            List<Future<Integer>> applied = new ArrayList<>();
            for (int i = 0; i < PODS; i++) {
                applied.add(pods.submit(() -> {
                    MysqlDataSource dataSource = new MysqlDataSource();
                    dataSource.setUrl(primary.jdbcUrl(ReplicatedDatabases.DATABASE));
                    dataSource.setUser(ReplicatedDatabases.APP_USER);
                    dataSource.setPassword(ReplicatedDatabases.APP_PASSWORD);
                    together.await();
                    return SchemaMigrations.migrate(dataSource).migrationsExecuted;
                }));
            }
            int total = 0;
            for (Future<Integer> pod : applied) {
                total += pod.get();
            }
            pods.shutdown();
            long versions = primary.queryLong("SELECT COUNT(*) FROM teachtrack.flyway_schema_history WHERE success = 1 AND version IS NOT NULL");
            long distinct = primary.queryLong("SELECT COUNT(DISTINCT version) FROM teachtrack.flyway_schema_history WHERE version IS NOT NULL");
            assertThat(versions).as("each migration recorded once").isEqualTo(distinct).isGreaterThanOrEqualTo(2);
            assertThat(total).as("each migration executed by exactly one pod").isEqualTo((int) versions);
            assertThat(primary.queryLong("SELECT COUNT(*) FROM teachtrack.heartbeat")).isEqualTo(1);
        }
    }
}
