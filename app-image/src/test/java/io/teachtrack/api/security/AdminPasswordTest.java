package io.teachtrack.api.security;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.teachtrack.api.testing.Platform;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;

/**
 * The admin account follows TEACHTRACK_ADMIN_PASSWORD: a pod started with another password than the account's sets
 * it (the operator rolls the pods when the Secret's {@code admin-password} changes). This profile starts the app with
 * a password the other tests' admin does not have.
 */
@QuarkusTest
@TestProfile(AdminPasswordTest.RotatedAdminPassword.class)
@QuarkusTestResource(value = Platform.class, restrictToAnnotatedClass = false)
class AdminPasswordTest {

    static final String ROTATED = "rotated-admin-password-51c8";

    public static class RotatedAdminPassword implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("teachtrack.admin-password", ROTATED);
        }
    }

    @Inject
    Accounts accounts;

    @Test
    void aStartWithAnotherAdminPasswordGivesTheAdminThatPassword() throws Exception {
        login(ROTATED, 200);
        login(Platform.ADMIN_PASSWORD, 401);

        // As after a change of the Secret: the account has the old password, the pod starts with the new one.
        setAdminHash(BcryptUtil.bcryptHash(Platform.ADMIN_PASSWORD));
        login(Platform.ADMIN_PASSWORD, 200);
        accounts.applyAdminPassword(null);
        login(ROTATED, 200);
        login(Platform.ADMIN_PASSWORD, 401);
    }

    private static void login(String password, int status) {
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("username", "admin", "password", password))
                .post("/api/v1/auth/token").then().statusCode(status);
    }

    private static void setAdminHash(String hash) throws Exception {
        try (Connection root = Platform.databases().primary().root();
             PreparedStatement update = root.prepareStatement("UPDATE teachtrack.users SET password_hash = ? WHERE username = 'admin'")) {
            update.setString(1, hash);
            update.executeUpdate();
        }
    }
}
