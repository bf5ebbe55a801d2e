package io.teachtrack.api.db;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jboss.logging.Logger;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Flyway migrations on the primary at start. Many pods may start at once: Flyway's MySQL support serialises them
 * with a named lock ({@code GET_LOCK}), so each version runs exactly once. A primary that is not up yet is retried
 * with backoff in the background; until then the pod is alive but not ready.
 */
@ApplicationScoped
public class SchemaMigrations {

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);
    /** DDL on a large table runs far longer than a request may wait on the primary (the pool's socket timeout). */
    private static final Duration MIGRATION_TIMEOUT = Duration.ofHours(1);

    private final Databases databases;
    private final Event<SchemaReady> ready;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Thread runner;

    public SchemaMigrations(Databases databases, Event<SchemaReady> ready) {
        this.databases = databases;
        this.ready = ready;
    }

    /** Fired once the schema is current; components that need tables start then. */
    public record SchemaReady() {
    }

    void onStart(@Observes StartupEvent event) {
        runner = Thread.ofPlatform().name("schema-migrations").daemon().start(this::migrateUntilDone);
    }

    void onStop(@Observes ShutdownEvent event) {
        Thread thread = runner;
        if (thread != null) {
            thread.interrupt();
        }
    }

    public boolean isDone() {
        return done.getCount() == 0;
    }

    public boolean await(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void migrateUntilDone() {
        Duration backoff = Duration.ofMillis(500);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                var result = migrate(withMigrationTimeout(databases.primaryDataSource()));
                LOG.infof("schema is at version %s (%d migrations applied now)", result.targetSchemaVersion, result.migrationsExecuted);
                // Observers first (the admin account, the worker, the replica monitor): ready means all of it is there.
                try {
                    ready.fire(new SchemaReady()); // once: observers retry on their own
                } catch (RuntimeException e) {
                    LOG.errorf(e, "a start-up step after the migrations failed");
                }
                done.countDown();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("schema migration failed, retrying in %d ms: %s", backoff.toMillis(), rootMessage(e));
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /**
     * The primary pool, its connections waiting up to {@link #MIGRATION_TIMEOUT} for an answer while Flyway holds them
     * (the pool restores its own timeout when a connection is returned).
     */
    static DataSource withMigrationTimeout(DataSource pool) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(pool, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof Connection connection) {
                connection.setNetworkTimeout(Runnable::run, (int) MIGRATION_TIMEOUT.toMillis());
            }
            return result;
        });
    }

    /** Runs the bundled migrations against a data source; used at start and by tests. */
    public static MigrateResult migrate(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
