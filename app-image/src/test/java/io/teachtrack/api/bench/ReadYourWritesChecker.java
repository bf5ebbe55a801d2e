package io.teachtrack.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes a lesson's attendance for one student and at once reads the register back as the same teacher: a read
 * that does not show the status just written is a read-your-writes violation. Uses the last classes of the seed,
 * which the workload leaves alone, so no one else changes what it checks.
 */
final class ReadYourWritesChecker {

    static final int CLASSES = 10;
    private static final String[] STATUSES = {"PRESENT", "LATE", "ABSENT", "EXCUSED"};

    private final HttpClient http;
    private final String baseUrl;
    private final SchoolSeed seed;
    private final SchoolWorkload tokens;
    private final ObjectMapper json = new ObjectMapper();
    private long checks;
    private long violations;
    private long errors;

    ReadYourWritesChecker(HttpClient http, String baseUrl, SchoolSeed seed, SchoolWorkload tokens) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.seed = seed;
        this.tokens = tokens;
    }

    void run(AtomicBoolean running) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running.get()) {
            long classId = seed.classes() - random.nextInt(CLASSES);
            long lesson = seed.lesson(classId, 1 + random.nextInt(seed.lessonsPerClass()));
            long student = seed.student(classId, 1 + random.nextInt(seed.studentsPerClass()));
            String status = STATUSES[(int) (checks % STATUSES.length)];
            String token = tokens.token(classId);
            try {
                HttpResponse<String> written = http.send(request("/api/v1/lessons/" + lesson + "/attendance", token)
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"records\":[{\"studentId\":" + student + ",\"status\":\"" + status + "\"}]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> read = http.send(request("/api/v1/lessons/" + lesson + "/attendance", token).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (written.statusCode() != 200 || read.statusCode() != 200) {
                    errors++;
                    continue;
                }
                checks++;
                if (!status.equals(statusOf(json.readTree(read.body()), student))) {
                    violations++;
                }
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                errors++;
            }
        }
    }

    private HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
    }

    private static String statusOf(JsonNode register, long student) {
        for (JsonNode record : register.path("records")) {
            if (record.path("studentId").asLong() == student) {
                return record.path("status").asText();
            }
        }
        return null;
    }

    long checks() {
        return checks;
    }

    long violations() {
        return violations;
    }

    long errors() {
        return errors;
    }
}
