package io.teachtrack.api.testing;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Before each {@code @QuarkusTest} method: waits until the app reports ready, as Kubernetes does before it sends a pod
 * traffic. "Started" is earlier: the schema migrations and the first admin account come after it, on their own thread,
 * so a test of a freshly started app (a new test profile, new servers) could log in before the admin existed.
 */
public class AwaitReadiness implements QuarkusTestBeforeEachCallback {

    private static final Duration START = Duration.ofMinutes(3);

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        // RestAssured gets the app's port only after these callbacks; the config has the address already.
        String url = ConfigProvider.getConfig().getValue("test.url", String.class);
        await("the app under test at " + url + " reports ready").atMost(START).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> RestAssured.given().baseUri(url).get("/q/health/ready").statusCode() == 200);
    }
}
