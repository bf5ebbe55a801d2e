package io.teachtrack.api.bench;

import io.smallrye.jwt.build.Jwt;
import io.teachtrack.api.testing.TestKeys;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.RejectionInversionZipfSampler;
import org.apache.commons.rng.sampling.distribution.SharedStateDiscreteSampler;
import org.apache.commons.rng.simple.RandomSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * 90 % reads and 10 % writes by the teachers of Zipf-skewed classes: a class's attendance summary (an aggregate over
 * its whole register), the class itself, a lesson's register; writes record one student's attendance in a lesson.
 * Each request is made by the class's own teacher, with a token signed by the bench (it holds the app's key). The last
 * classes are left to the read-your-writes checker.
 */
public final class SchoolWorkload {

    public static final double ZIPF_EXPONENT = 1.0;
    public static final String INFO_PATH = "/api/v1/info";

    private final SchoolSeed seed;
    private final HttpClient http;
    private final String[] tokens;
    private final UniformRandomProvider random = RandomSource.XO_RO_SHI_RO_128_PP.create();
    private final SharedStateDiscreteSampler classes;
    private final double writeShare;

    /** Only attendance-summary reads: one read, to compare with the cache on and off. */
    public OpenModelLoad.Call nextSummary(String baseUrl) {
        long classId;
        synchronized (this) {
            classId = classes.sample();
        }
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/classes/" + classId + "/attendance-summary")).GET(), tokens[(int) classId]);
    }

    /** A read by id of a Zipf-chosen class, as its teacher: the cheapest cached read. */
    public OpenModelLoad.Call nextClass(String baseUrl) {
        long classId;
        synchronized (this) {
            classId = classes.sample();
        }
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/classes/" + classId)).GET(), tokens[(int) classId]);
    }

    /** The framework's floor: an API endpoint through the same filters, with no token, no cache, no database. */
    public OpenModelLoad.Call info(String baseUrl) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + INFO_PATH)).timeout(Duration.ofSeconds(30)).GET().build();
        return () -> http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Every view of a class the mix reads, as its teacher: the class, its attendance summary, each lesson's register. */
    public List<OpenModelLoad.Call> classReads(String baseUrl, long classId) {
        String token = tokens[(int) classId];
        List<OpenModelLoad.Call> reads = new ArrayList<>(List.of(
                send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/classes/" + classId)).GET(), token),
                send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/classes/" + classId + "/attendance-summary")).GET(), token)));
        for (int lesson = 1; lesson <= seed.lessonsPerClass(); lesson++) {
            reads.add(send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/lessons/" + seed.lesson(classId, lesson) + "/attendance")).GET(), token));
        }
        return reads;
    }

    public SchoolWorkload(SchoolSeed seed, HttpClient http, double writeShare) {
        this.seed = seed;
        this.http = http;
        this.writeShare = writeShare;
        this.classes = RejectionInversionZipfSampler.of(random, seed.classes() - ReadYourWritesChecker.CLASSES, ZIPF_EXPONENT);
        this.tokens = new String[seed.classes() + 1];
        for (int teacher = 1; teacher <= seed.classes(); teacher++) {
            tokens[teacher] = Jwt.issuer("teachtrack").subject(Long.toString(SchoolSeed.TEACHER_USER_BASE + teacher))
                    .upn("teacher" + teacher).groups(Set.of("teacher")).claim("teacherId", (long) teacher)
                    .expiresIn(Duration.ofHours(4)).sign(TestKeys.PAIR.getPrivate());
        }
    }

    public String token(long classId) {
        return tokens[(int) classId];
    }

    public static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The next request against {@code baseUrl}; called from the load generator's single scheduling thread. */
    public synchronized OpenModelLoad.Call next(String baseUrl) {
        long classId = classes.sample();
        String token = tokens[(int) classId];
        double dice = random.nextDouble();
        if (dice < writeShare) {
            long lesson = seed.lesson(classId, 1 + random.nextInt(seed.lessonsPerClass()));
            long student = seed.student(classId, 1 + random.nextInt(seed.studentsPerClass()));
            String status = random.nextBoolean() ? "PRESENT" : "ABSENT";
            String body = "{\"records\":[{\"studentId\":" + student + ",\"status\":\"" + status + "\"}]}";
            OpenModelLoad.Call put = send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/lessons/" + lesson + "/attendance"))
                    .PUT(HttpRequest.BodyPublishers.ofString(body)), token);
            return (OpenModelLoad.Write) put::send;
        }
        String path = dice < writeShare + (1 - writeShare) * 0.5 ? "/api/v1/classes/" + classId + "/attendance-summary"
                : dice < writeShare + (1 - writeShare) * 0.8 ? "/api/v1/lessons/" + seed.lesson(classId, 1 + random.nextInt(seed.lessonsPerClass())) + "/attendance"
                : "/api/v1/classes/" + classId;
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET(), token);
    }

    private OpenModelLoad.Call send(HttpRequest.Builder request, String token) {
        HttpRequest built = request.header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).build();
        return () -> http.send(built, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
