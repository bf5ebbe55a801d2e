package io.teachtrack.api.security;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.teachtrack.api.testing.Api;
import io.teachtrack.api.testing.Platform;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-user rate limit, with a limit small enough (1 request per second, bursts of 3) that any machine, however
 * loaded, sends 20 requests faster than it refills: the outcome never depends on how fast the client is.
 */
@QuarkusTest
@TestProfile(RateLimitTest.SmallLimit.class)
@QuarkusTestResource(value = Platform.class, restrictToAnnotatedClass = false)
class RateLimitTest {

    public static class SmallLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("teachtrack.rate-limit.per-second", "1", "teachtrack.rate-limit.burst", "3");
        }
    }

    @Test
    void aUserOverTheirRateGets429WithRetryAfterAndOthersDoNot() {
        String admin = Api.adminToken();
        var teacher = Api.teacher(admin);
        int limited = 0;
        Response last429 = null;
        for (int i = 0; i < 20; i++) {
            Response response = Api.as(teacher.token()).get("/api/v1/teachers/" + teacher.id());
            assertThat(response.statusCode()).isIn(200, 429);
            if (response.statusCode() == 429) {
                limited++;
                last429 = response;
            }
        }
        System.out.printf("[rate-limit] 20 requests from one user at 1/s (burst 3): %d answered 429%n", limited);
        assertThat(limited).isPositive();
        assertThat(last429.contentType()).startsWith("application/problem+json");
        assertThat(Integer.parseInt(last429.header("Retry-After"))).isPositive();
        Api.as(admin).get("/api/v1/teachers/" + teacher.id()).then().statusCode(200);
    }
}
