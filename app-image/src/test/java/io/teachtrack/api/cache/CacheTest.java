package io.teachtrack.api.cache;

import com.fasterxml.jackson.core.type.TypeReference;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.teachtrack.api.school.Writes;
import io.teachtrack.api.security.Caller;
import io.teachtrack.api.security.Role;
import io.teachtrack.api.testing.Api;
import io.teachtrack.api.testing.Platform;
import io.teachtrack.testkit.ReplicatedDatabases;
import jakarta.inject.Inject;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

/** Cache-aside against a real Redis, with statements counted on the real MariaDB servers. */
@QuarkusTest
@QuarkusTestResource(value = Platform.class, restrictToAnnotatedClass = false)
class CacheTest {

    private static final TypeReference<String> TEXT = new TypeReference<>() {
    };

    @Inject
    ReadThroughCache cache;

    @Inject
    Writes writes;

    @Inject
    MeterRegistry registry;

    private String admin;

    @BeforeEach
    void login() {
        admin = Api.adminToken();
    }

    private static long selects(String fragment) {
        return Platform.databases().selectsEndingWith(ReplicatedDatabases.APP_USER, fragment);
    }

    private static void recordStatements() {
        Platform.databases().recordStatements();
    }

    @Test
    void aHitIssuesNoSqlAndAWriteInvalidates() {
        String name = Api.unique("curie");
        recordStatements();
        long id = Api.create(admin, "/api/v1/teachers", Map.of("name", name, "email", name + "@school.test"));
        String byId = "FROM teachers WHERE id = " + id;
        assertThat(selects(byId)).as("the POST's answer reads the new row back on the connection that wrote it").isEqualTo(1);
        for (int i = 0; i < 6; i++) {
            Api.as(admin).get("/api/v1/teachers/" + id).then().statusCode(200).body("name", equalTo(name));
        }
        assertThat(selects(byId)).as("the first read loads the row into the cache, the hits run no SQL on either server").isEqualTo(2);

        Api.as(admin).body(Map.of("name", name + " Sklodowska", "email", name + "@school.test")).put("/api/v1/teachers/" + id)
                .then().statusCode(200).body("name", equalTo(name + " Sklodowska"));
        Api.as(admin).get("/api/v1/teachers/" + id).then().statusCode(200).body("name", equalTo(name + " Sklodowska"));
        Api.as(admin).get("/api/v1/teachers/" + id).then().statusCode(200).body("name", equalTo(name + " Sklodowska"));
        assertThat(selects(byId)).as("the write invalidated: its answer read back, one load, then hits").isEqualTo(4);
    }

    /**
     * Taking attendance amends the lesson's register and the class summary in place: both stay cached (no load after
     * the write, on either server) and answer with the write, and the row's version counts its changes.
     */
    @Test
    void savingARegisterAmendsTheRegisterAndTheClassSummaryInsteadOfDroppingThem() {
        var teacher = Api.teacher(admin);
        long classId = Api.classOf(admin, teacher.id());
        long[] students = Api.enrolledStudents(admin, admin, classId, 2);
        long alice = students[0];
        long bob = students[1];
        long lesson = Api.create(admin, "/api/v1/classes/" + classId + "/lessons", Map.of("startsAt", "2026-09-01T08:00:00Z", "topic", "Optics"));
        String register = "/api/v1/lessons/" + lesson + "/attendance";
        String summary = "/api/v1/classes/" + classId + "/attendance-summary";
        Api.as(teacher.token()).body(Map.of("records", List.of(Map.of("studentId", alice, "status", "PRESENT"))))
                .put(register).then().statusCode(200);
        Api.as(teacher.token()).get(register).then().statusCode(200).body("records.size()", equalTo(1));
        Api.as(teacher.token()).get(summary).then().statusCode(200).body("students[0].present", equalTo(1));

        recordStatements();
        Api.as(teacher.token()).body(Map.of("records", List.of(Map.of("studentId", alice, "status", "LATE"), Map.of("studentId", bob, "status", "ABSENT"))))
                .put(register).then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            Api.as(teacher.token()).get(register).then().statusCode(200)
                    .body("records.status", contains("LATE", "ABSENT"));
            Api.as(teacher.token()).get(summary).then().statusCode(200)
                    .body("students[0].present", equalTo(0)).body("students[0].late", equalTo(1)).body("students[1].absent", equalTo(1));
        }
        assertThat(selects("FROM attendance WHERE lesson_id = " + lesson + " ORDER BY student_id"))
                .as("the register read once: by the write, on its own connection").isEqualTo(1);
        assertThat(selects("FROM lessons WHERE class_id = " + classId)).as("the class summary was not loaded again").isZero();
        long version = Platform.databases().primary().queryLong(
                "SELECT version FROM " + ReplicatedDatabases.DATABASE + ".attendance WHERE lesson_id = " + lesson + " AND student_id = " + alice);
        assertThat(version).as("saved twice").isEqualTo(2);
    }

    @Test
    void absentRowsAreCachedBriefly() {
        recordStatements();
        for (int i = 0; i < 3; i++) {
            Api.as(admin).get("/api/v1/subjects/876543210").then().statusCode(404);
        }
        assertThat(selects("FROM subjects WHERE id = 876543210")).as("a 404 is cached too").isEqualTo(1);
    }

    /**
     * A commit whose answer is lost (its session killed between the statements and the commit, as a fence or a dying
     * primary does) may have happened: the API cannot know the scopes of such a write (a created row's id), so what was
     * cached before, a 404 for the id the row may now have included, must not be served afterwards.
     */
    @Test
    void aWriteWhoseCommitOutcomeIsUnknownLeavesNothingCachedBehind() {
        long id = 800_000_000L + System.nanoTime() % 100_000_000L;
        String byId = "FROM subjects WHERE id = " + id;
        recordStatements();
        Api.as(admin).get("/api/v1/subjects/" + id).then().statusCode(404);
        Api.as(admin).get("/api/v1/subjects/" + id).then().statusCode(404);
        assertThat(selects(byId)).as("the 404 is cached").isEqualTo(1);

        Caller caller = new Caller(1, "admin", Role.admin, null, null);
        assertThatThrownBy(() -> writes.run(caller, (handle, changes) -> {
            changes.affect(CacheScope.of("subject", id));
            long session = handle.createQuery("SELECT CONNECTION_ID()").mapTo(Long.class).one();
            try (Connection root = Platform.databases().primary().root(); Statement kill = root.createStatement()) {
                kill.execute("KILL " + session);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return id;
        })).isInstanceOf(JdbiException.class);

        Api.as(admin).get("/api/v1/subjects/" + id).then().statusCode(404);
        assertThat(selects(byId)).as("nothing cached before the commit of unknown outcome is served after it").isEqualTo(2);
    }

    @Test
    void aHundredConcurrentMissesOfTheApiLoadOnceWhileRedisAnswers() throws Exception {
        var teacher = Api.teacher(admin);
        long classId = Api.classOf(admin, teacher.id());
        recordStatements();
        double errors = cacheRequests("error");
        ExecutorService pool = Executors.newFixedThreadPool(100);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(pool.submit(() -> {
                start.await();
                return Api.as(teacher.token()).get("/api/v1/classes/" + classId + "/attendance-summary").statusCode();
            }));
        }
        start.countDown();
        for (Future<Integer> call : calls) {
            assertThat(call.get(60, TimeUnit.SECONDS)).isEqualTo(200);
        }
        pool.shutdown();
        // A caller whose lookup Redis did not answer in time (a loaded machine) cannot share the running load; each
        // such caller can cost one more load at most, and none when Redis answers them all.
        long unanswered = Math.round(cacheRequests("error") - errors);
        assertThat(selects("FROM lessons WHERE class_id = " + classId)).as("loads for 100 concurrent misses, %d lookups unanswered",
                unanswered).isBetween(1L, 1L + unanswered);
    }

    @Test
    void aHundredConcurrentMissesShareOneLoadWhenRedisAnswersAndAtMostTwoWhenItIsPaused() throws Exception {
        Burst answered = burstOfMisses();
        assertThat(answered.loads()).as("Redis answering, %d lookups unanswered", answered.unanswered())
                .isBetween(1, answered.unanswered() == 0 ? 1 : 2);
        Platform.redis().pause();
        try {
            Burst paused = burstOfMisses();
            assertThat(paused.unanswered()).as("every lookup failed").isEqualTo(100);
            assertThat(paused.loads()).as("the running load, and one for everyone who arrived during it").isEqualTo(2);
            assertThat(paused.current()).as("their writes are unknown: both loads must include everything committed before them").isEqualTo(2);
        } finally {
            Platform.redis().resume();
        }
    }

    private record Burst(int loads, int current, long unanswered) {
    }

    /**
     * 100 callers miss one value at once; the first load is held until all 100 have taken part in a load (led or
     * shared), so no caller can arrive after it ended: the count of loads depends on nothing but the rules.
     */
    private Burst burstOfMisses() throws Exception {
        CacheKey key = new CacheKey(CacheScope.of("burst", System.nanoTime()), "one");
        double taking = cacheRequests("load") + cacheRequests("coalesced");
        double errors = cacheRequests("error");
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        AtomicInteger current = new AtomicInteger();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<Optional<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(pool.submit(() -> cache.get(key, TEXT, freshness -> {
                loads.incrementAndGet();
                if (freshness.everythingCommitted()) {
                    current.incrementAndGet();
                }
                waitFor(gate);
                return Optional.of("value");
            })));
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> cacheRequests("load") + cacheRequests("coalesced") - taking >= 100);
        gate.countDown();
        for (Future<Optional<String>> call : calls) {
            assertThat(call.get(60, TimeUnit.SECONDS)).contains("value");
        }
        pool.shutdown();
        return new Burst(loads.get(), current.get(), Math.round(cacheRequests("error") - errors));
    }

    private double cacheRequests(String result) {
        Counter counter = registry.find("teachtrack.cache.requests").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aSlowReaderCannotRefillOldDataAfterAWritersInvalidation() throws Exception {
        CacheKey key = new CacheKey(CacheScope.of("race", System.nanoTime()), "one");
        CountDownLatch loaded = new CountDownLatch(1);
        CountDownLatch writerDone = new CountDownLatch(1);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        // The reader misses and reads the old row; before it can fill, the writer commits and invalidates.
        Future<Optional<String>> slow = reader.submit(() -> cache.get(key, TEXT, freshness -> {
            loaded.countDown();
            waitFor(writerDone);
            return Optional.of("old");
        }));
        assertThat(loaded.await(10, TimeUnit.SECONDS)).isTrue();
        cache.invalidate(List.of(key.scope()));
        writerDone.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS)).contains("old"); // what it read, it may return once
        reader.shutdown();

        AtomicInteger loads = new AtomicInteger();
        AtomicInteger loadsThatMustSeeTheWrite = new AtomicInteger();
        Optional<String> next = cache.get(key, TEXT, freshness -> {
            loads.incrementAndGet();
            if (freshness.notBefore() > 0) {
                loadsThatMustSeeTheWrite.incrementAndGet();
            }
            return Optional.of("new");
        });
        assertThat(next).as("the stale fill went to a dead generation").contains("new");
        assertThat(loads).hasValue(1);
        assertThat(loadsThatMustSeeTheWrite).as("right after a write, the refill must include it (primary, or a replica that has it)")
                .hasValue(1);
        assertThat(cache.get(key, TEXT, freshness -> Optional.of("unused"))).contains("new");
    }

    @Test
    void aGenerationThatDisappearsIsNeverReplacedByOneAnOldValueWasCachedUnder() {
        CacheKey key = new CacheKey(CacheScope.of("evicted", System.nanoTime()), "one");
        assertThat(cache.get(key, TEXT, freshness -> Optional.of("first"))).contains("first");
        cache.invalidate(List.of(key.scope()));
        assertThat(cache.get(key, TEXT, freshness -> Optional.of("second"))).contains("second");
        assertThat(cache.get(key, TEXT, freshness -> Optional.of("unused"))).as("cached").contains("second");

        // Redis evicts the generation (allkeys-lru may), or loses it in a restart or flush: the values stay behind.
        long deleted = Platform.onRedis(redis -> redis.del(key.scope().generationKey()));
        assertThat(deleted).isEqualTo(1);
        assertThat(cache.get(key, TEXT, freshness -> Optional.of("reloaded")))
                .as("neither value cached under an earlier generation comes back").contains("reloaded");
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
