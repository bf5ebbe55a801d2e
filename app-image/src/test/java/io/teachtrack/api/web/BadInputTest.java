package io.teachtrack.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.teachtrack.api.testing.Api;
import io.teachtrack.api.testing.Platform;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation of the API's own OpenAPI document, driven with generated bad input: malformed, wrongly typed,
 * oversized and boundary values in each path parameter, query parameter and body field, broken JSON, duplicated keys,
 * wrong media types. Whatever the input, the answer is never a 5xx: a refusal is a 4xx in application/problem+json that
 * shows nothing internal (no stack frame, class name or SQL); an input the API accepts is answered 2xx.
 */
@QuarkusTest
@QuarkusTestResource(value = Platform.class, restrictToAnnotatedClass = false)
class BadInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What an answer must never show: Java frames and class names, SQL, driver and server names. */
    private static final Pattern INTERNALS = Pattern.compile(
            "\\bat [a-z]+\\.[\\w.$]+\\(|(java|javax|jakarta|io\\.teachtrack|io\\.quarkus|com\\.mysql|org\\.mariadb|org\\.jdbi|com\\.fasterxml)\\.[a-z]"
                    + "|\\bSELECT\\b|\\bINSERT INTO\\b|\\bUPDATE [a-z_]+ SET\\b|SQLSTATE|Exception\\b",
            Pattern.CASE_INSENSITIVE);
    /** Values that are no number, or a number no id can be. */
    private static final List<String> BAD_PATH_IDS = List.of("abc", "-1", "0", "1.5", "99999999999999999999", "%00", "1%20OR%201=1",
            "9223372036854775807");
    private static final List<String> BAD_QUERY_VALUES = List.of("abc", "-1", "0", "1.5", "99999999999999999999", "", "100000");
    private static final String LONG_TEXT = "x".repeat(100_000);
    private static final List<JsonNode> BAD_SCALARS = List.of(JSON.nullNode(), JSON.getNodeFactory().textNode(""),
            JSON.getNodeFactory().textNode(LONG_TEXT), JSON.getNodeFactory().textNode("\u0000\ud83d\ude00'\";--"),
            JSON.getNodeFactory().numberNode(-1L), JSON.getNodeFactory().numberNode(0L), JSON.getNodeFactory().numberNode(Long.MAX_VALUE),
            JSON.getNodeFactory().numberNode(new BigInteger("99999999999999999999999")), JSON.getNodeFactory().numberNode(1.5),
            JSON.getNodeFactory().booleanNode(true), JSON.createArrayNode(), JSON.createObjectNode(),
            JSON.getNodeFactory().textNode("0001-01-01T00:00:00Z"), JSON.getNodeFactory().textNode("9999-12-31T23:59:59Z"),
            JSON.getNodeFactory().textNode("+1000000000-01-01T00:00:00Z"), JSON.getNodeFactory().textNode("1969-12-31T23:59:59Z"),
            JSON.getNodeFactory().textNode("2038-01-19T03:14:08Z"), JSON.getNodeFactory().textNode("not-a-time"));

    private String admin;
    /** Ids of real rows, by the collection a path names them in or by the field that refers to them. */
    private Map<String, Long> validIds;
    private final List<String> failures = new ArrayList<>();
    private int requests;

    @BeforeEach
    void login() {
        admin = Api.adminToken();
    }

    @Test
    void everyOperationRefusesBadInputWithAClean4xxAndNeverA5xx() throws Exception {
        JsonNode openApi = JSON.readTree(RestAssured.given().accept("application/json").get("/q/openapi?format=json").asString());
        // Real rows, so that bad input reaches as deep as it can (a missing parent would stop it with a 404).
        var teacher = Api.teacher(admin);
        long classId = Api.classOf(admin, teacher.id());
        long student = Api.student(admin);
        Api.enroll(admin, classId, student);
        long lesson = Api.create(admin, "/api/v1/classes/" + classId + "/lessons", Map.of("startsAt", "2026-12-03T09:00:00Z", "topic", "Valid"));
        long subject = Api.create(admin, "/api/v1/subjects", Map.of("code", Api.unique("BAD-"), "name", "Valid subject"));
        validIds = Map.of("subjects", subject, "classes", classId, "teachers", teacher.id(), "students", student, "lessons", lesson,
                "studentId", student, "classId", classId, "teacherId", teacher.id(), "subjectId", subject, "lessonId", lesson);
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> method = methods.next();
                if (!List.of("get", "post", "put", "patch", "delete").contains(method.getKey())) {
                    continue;
                }
                operations++;
                drive(openApi, method.getKey(), path.getKey(), method.getValue());
            }
        }
        // Below the REST layer: an unknown path, a method the path lacks, a request line over the server's limits.
        expect("get", "/api/v1/no-such-thing", null, null, true);
        expect("delete", "/api/v1/subjects", null, null, true);
        raw("GET /api/v1/subjects?after=" + "9".repeat(6_000) + " HTTP/1.1\r\n\r\n");
        raw("GET /api/v1/subjects?after=" + "9".repeat(20_000) + " HTTP/1.1\r\n\r\n");
        // A body over the limit, announced by its length: refused before it is sent.
        raw("POST /api/v1/subjects HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: " + 64L * 1024 * 1024 + "\r\n\r\n");
        System.out.printf("[bad-input] %d operations, %d generated requests, %d answered wrongly%n", operations, requests, failures.size());
        assertThat(operations).as("operations in the OpenAPI document").isGreaterThan(15);
        assertThat(failures).isEmpty();
    }

    private void drive(JsonNode openApi, String method, String template, JsonNode operation) {
        List<String> pathParams = new ArrayList<>();
        List<String> queryParams = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            (parameter.path("in").asText().equals("path") ? pathParams : queryParams).add(parameter.path("name").asText());
        }
        Map<String, String> valid = new LinkedHashMap<>();
        pathParams.forEach(name -> valid.put(name, String.valueOf(idFor(template, name))));
        JsonNode schema = bodySchema(openApi, operation);
        ObjectNode validBody = schema == null ? null : sample(openApi, schema);

        for (String name : pathParams) {
            for (String bad : BAD_PATH_IDS) {
                Map<String, String> ids = new LinkedHashMap<>(valid);
                ids.put(name, bad);
                expect(method, fill(template, ids), validBody == null ? null : validBody.toString(), "application/json", false);
            }
        }
        for (String name : queryParams) {
            for (String bad : BAD_QUERY_VALUES) {
                expect(method, fill(template, valid) + "?" + name + "=" + bad, null, null, false);
            }
        }
        String url = fill(template, valid);
        if (validBody == null) {
            return;
        }
        for (Iterator<String> fields = validBody.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            for (JsonNode bad : BAD_SCALARS) {
                ObjectNode body = validBody.deepCopy();
                body.set(field, bad);
                expect(method, url, body.toString(), "application/json", false);
            }
            ObjectNode missing = validBody.deepCopy();
            missing.remove(field);
            expect(method, url, missing.toString(), "application/json", false);
        }
        String first = validBody.fieldNames().next();
        String duplicated = validBody.toString().replaceFirst("\\{", "{\"" + first + "\":" + validBody.get(first) + ",");
        expect(method, url, duplicated, "application/json", true);
        // Valid JSON nested deeper than the parser allows, and junk: refused as soon as the parser sees it.
        String deep = "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000);
        for (String broken : List.of("", "{", "[]", "null", "\"text\"", "{\"a\":}", deep, "{".repeat(2_000))) {
            expect(method, url, broken, "application/json", true);
        }
        expect(method, url, validBody.toString(), "text/plain", true);
        expect(method, url, validBody.toString(), "application/xml", true);
    }

    /** Sends one request; {@code mustRefuse}: the input is malformed for any reading of it, so only a 4xx will do. */
    private void expect(String method, String url, String body, String contentType, boolean mustRefuse) {
        requests++;
        RequestSpecification request = Api.as(admin);
        if (contentType != null) {
            request = request.contentType(contentType);
        }
        if (body != null) {
            request = request.body(body);
        }
        Response response = request.request(method.toUpperCase(), url);
        int status = response.statusCode();
        String what = method.toUpperCase() + " " + abbreviate(url) + (body == null ? "" : " " + abbreviate(body)) + " -> " + status
                + " " + abbreviate(response.asString());
        if (status >= 500) {
            failures.add("server error: " + what);
        } else if (status >= 400) {
            if (!String.valueOf(response.contentType()).startsWith("application/problem+json")) {
                failures.add("not problem+json (" + response.contentType() + "): " + what);
            } else if (INTERNALS.matcher(response.asString()).find()) {
                failures.add("shows internals: " + what);
            }
        } else if (mustRefuse) {
            failures.add("accepted: " + what);
        }
    }

    /** A request written as bytes (for what HTTP clients refuse to send): the head without Host, which this adds. */
    private void raw(String head) throws IOException {
        requests++;
        String request = head.replaceFirst("\r\n", "\r\nHost: localhost\r\nAuthorization: Bearer " + admin + "\r\nConnection: close\r\n");
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer;
            try {
                answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                failures.add("no answer within 30 s: " + abbreviate(head.lines().findFirst().orElse("")));
                return;
            }
            String statusLine = answer.lines().findFirst().orElse("");
            String what = abbreviate(head.lines().findFirst().orElse("")) + " -> " + abbreviate(answer.replace("\r\n", " | "));
            int status = statusLine.split(" ").length > 1 ? Integer.parseInt(statusLine.split(" ")[1]) : 0;
            String headers = answer.contains("\r\n\r\n") ? answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT) : "";
            if (status < 400 || status >= 500) {
                failures.add("not refused with a 4xx: " + what);
            } else if (!headers.contains("content-type: application/problem+json")) {
                failures.add("not problem+json: " + what);
            }
        }
    }

    private static JsonNode bodySchema(JsonNode openApi, JsonNode operation) {
        JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
        return schema.isMissingNode() ? null : resolve(openApi, schema);
    }

    private static JsonNode resolve(JsonNode openApi, JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.isEmpty() ? schema : openApi.at(ref.substring(1));
    }

    /** The id of a real row for a path parameter: {@code {id}} after {@code /classes/} is a class's, and so on. */
    private long idFor(String template, String parameter) {
        if (validIds.containsKey(parameter)) {
            return validIds.get(parameter);
        }
        String before = template.substring(0, template.indexOf("{" + parameter + "}"));
        String[] segments = before.split("/");
        return validIds.getOrDefault(segments[segments.length - 1], 1L);
    }

    /** A plausible value for every property (the tests vary one at a time from it). */
    private ObjectNode sample(JsonNode openApi, JsonNode schema) {
        ObjectNode body = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields(); properties.hasNext(); ) {
            Map.Entry<String, JsonNode> property = properties.next();
            JsonNode type = resolve(openApi, property.getValue());
            switch (type.path("type").asText("string")) {
                case "integer", "number" -> body.put(property.getKey(), validIds.getOrDefault(property.getKey(), 1L));
                case "boolean" -> body.put(property.getKey(), true);
                case "array" -> body.set(property.getKey(), JSON.createArrayNode().add(sample(openApi, resolve(openApi, type.path("items")))));
                case "object" -> body.set(property.getKey(), sample(openApi, type));
                default -> body.put(property.getKey(), type.has("enum") ? type.path("enum").get(0).asText()
                        : "date-time".equals(type.path("format").asText()) ? "2026-12-03T09:00:00Z"
                        : property.getKey().contains("mail") ? "someone@school.test" : "VALID-1");
            }
        }
        return body;
    }

    private static String fill(String template, Map<String, String> values) {
        String url = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            url = url.replace("{" + value.getKey() + "}", value.getValue());
        }
        return url;
    }

    private static String abbreviate(String text) {
        return text.length() <= 160 ? text : text.substring(0, 160) + "…(" + text.length() + " chars)";
    }
}
