package io.teachtrack.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teachtrack.api.testing.Platform;
import io.teachtrack.testkit.DatabaseServer;
import io.teachtrack.testkit.TestDirectories;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim queries on a real server with the app's own migrations, on a queue as it looks after a while: 50,000 jobs
 * done, 1,000 backing off, 100,000 due. A claim uses the queue's index in order, sorts nothing, and locks only the
 * row it takes; an expired lease is taken before newer jobs.
 */
class JobClaimTest {

    private static final Path DIR = Path.of("target", "job-claim-test").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 10^5 rows from a cross join of digits: portable across MySQL and MariaDB, no recursion limits. */
    private static final String HUNDRED_THOUSAND = "(SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d AS n FROM "
            + digits("a") + ", " + digits("b") + ", " + digits("c") + ", " + digits("e") + ", " + digits("f") + ") numbers";

    private static DatabaseServer server;

    @BeforeAll
    static void queueWithHistory() throws SQLException {
        server = DatabaseServer.builder(Platform.ENGINE, TestDirectories.fresh(DIR), "jobs-0").build().start();
        server.makeWritable();
        server.sql("CREATE DATABASE claims");
        Flyway.configure().dataSource(server.jdbcUrl("claims"), DatabaseServer.ROOT_USER, server.rootPassword())
                .locations("classpath:db/migration").load().migrate();
        try (Connection root = server.root(); Statement sql = root.createStatement()) {
            sql.execute("USE claims");
            sql.execute("INSERT INTO jobs (type, params, status, created_by) SELECT 'report', '{}', 'DONE', 1 FROM " + HUNDRED_THOUSAND
                    + " WHERE n < 50000");
            sql.execute("INSERT INTO jobs (type, params, status, created_by, run_after) SELECT 'report', '{}', 'QUEUED', 1,"
                    + " NOW(3) + INTERVAL 1 HOUR FROM " + HUNDRED_THOUSAND + " WHERE n < 1000");
            sql.execute("INSERT INTO jobs (type, params, status, created_by, run_after) SELECT 'report', '{}', 'QUEUED', 1,"
                    + " NOW(3) - INTERVAL 1 MINUTE FROM " + HUNDRED_THOUSAND);
            sql.execute("ANALYZE TABLE jobs");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        TestDirectories.remove(DIR);
    }

    @Test
    void aClaimReadsTheQueueIndexInOrderAndLocksOnlyTheRowItTakes() throws Exception {
        try (Connection connection = server.root(); Statement sql = connection.createStatement()) {
            sql.execute("USE claims");
            JsonNode plan = JSON.readTree(single(sql, "EXPLAIN FORMAT=JSON " + JobQueue.NEXT_DUE));
            // MySQL 9 names the index in its plan's operations ("Index range scan on jobs using ix_jobs_queue"),
            // MariaDB as "key"; a sort would be a "Sort" operation or a "filesort".
            assertThat(plan.toString()).as("the claim's plan: %s", plan).contains("ix_jobs_queue")
                    .doesNotContainIgnoringCase("filesort").doesNotContain("\"operation\":\"Sort");
            System.out.printf("[job-claim] %s plan: %s%n", Platform.ENGINE, plan);

            connection.setAutoCommit(false);
            try (ResultSet claimed = sql.executeQuery(JobQueue.NEXT_DUE)) {
                assertThat(claimed.next()).isTrue();
            }
            long locked = Long.parseLong(single(sql,
                    "SELECT trx_rows_locked FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = CONNECTION_ID()"));
            System.out.printf("[job-claim] %s: one claim among 151,000 jobs locked %d row(s)%n", Platform.ENGINE, locked);
            // InnoDB counts a row locked through a secondary index twice: its index entry and the row itself. Ordered by
            // id instead (the query before), the same claim locked 51,244 rows on MySQL: every done and backing-off job
            // it stepped over.
            assertThat(locked).as("record locks of the claim: the taken job's index entry and row").isLessThanOrEqualTo(2);
            connection.rollback();
        }
    }

    @Test
    void anExpiredLeaseIsTakenBeforeJobsThatFellDueLater() throws Exception {
        try (Connection connection = server.root(); Statement sql = connection.createStatement()) {
            sql.execute("USE claims");
            sql.execute("INSERT INTO jobs (type, params, status, created_by, claim_token, lease_until, attempts) VALUES"
                    + " ('report', '{}', 'RUNNING', 1, 'lost-worker', NOW(3) - INTERVAL 5 SECOND, 1)");
            long expired = Long.parseLong(single(sql, "SELECT LAST_INSERT_ID()"));
            connection.setAutoCommit(false);
            long taken;
            try (ResultSet claimed = sql.executeQuery(JobQueue.NEXT_EXPIRED)) {
                assertThat(claimed.next()).as("an expired lease is found among 100,000 due jobs").isTrue();
                taken = claimed.getLong("id");
            }
            assertThat(taken).isEqualTo(expired);
            connection.rollback();
            connection.setAutoCommit(true);
            sql.execute("DELETE FROM jobs WHERE id = " + expired);
        }
    }

    private static String single(Statement sql, String query) throws SQLException {
        try (ResultSet result = sql.executeQuery(query)) {
            assertThat(result.next()).as(query).isTrue();
            return result.getString(1);
        }
    }

    private static String digits(String alias) {
        return "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5"
                + " UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) " + alias;
    }
}
