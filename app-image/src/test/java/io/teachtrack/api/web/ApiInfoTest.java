package io.teachtrack.api.web;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.teachtrack.api.testing.Platform;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@QuarkusTestResource(value = Platform.class, restrictToAnnotatedClass = false)
class ApiInfoTest {

    @Test
    void infoNamesTheApiAndItsVersionWithoutAToken() {
        given().get("/api/v1/info").then().statusCode(200)
                .contentType(startsWith("application/json"))
                .body("name", equalTo("teachtrack-api"))
                .body("version", equalTo(ConfigProvider.getConfig().getValue("quarkus.application.version", String.class)))
                .body("openapi", equalTo("/q/openapi"));
    }

    @Test
    void theDocumentItPointsToIsServed() {
        given().get("/q/openapi").then().statusCode(200);
    }
}
