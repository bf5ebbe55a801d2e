package io.teachtrack.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teachtrack.api.testing.AppProcess;
import io.teachtrack.api.testing.Platform;
import io.teachtrack.testkit.DatabaseServer;
import io.teachtrack.testkit.ReplicatedDatabases;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged API with QUARKUS_LOG_CONSOLE_JSON_ENABLED=true (what the operator sets for logFormat=json). */
class JsonLogsIT {

    private static final Path DIR = Path.of("target", "json-logs-it").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A record in the text format of application.properties ("HH:mm:ss.SSS LEVEL [category] message"). */
    private static final Pattern TEXT_RECORD = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} +(TRACE|DEBUG|INFO|WARN|ERROR)\\b");

    @Test
    void everyLogRecordIsOneJsonObjectWithLevelLoggerAndMessage() throws Exception {
        DatabaseServer primary = DatabaseServer.builder(Platform.ENGINE, DIR.resolve(Platform.ENGINE.image()), "primary-0").build();
        try (primary) {
            primary.start();
            ReplicatedDatabases.provisionApp(primary);
            Map<String, String> env = new HashMap<>(AppProcess.podEnvironment("api", primary.jdbcUrl(ReplicatedDatabases.DATABASE), null, null));
            env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");
            try (AppProcess api = AppProcess.start("api-json-logs", env, DIR)) {
                assertJsonLogs(api, env);
            }
        }
    }

    private static void assertJsonLogs(AppProcess api, Map<String, String> env) throws Exception {
        api.awaitHealth("/q/health/ready", 200, Duration.ofSeconds(90));
        List<JsonNode> records = new ArrayList<>();
        for (String line : api.log().lines().toList()) {
            assertThat(line).as("no record in the text format").doesNotContainPattern(TEXT_RECORD);
            if (line.startsWith("{")) {
                records.add(JSON.readTree(line));
            }
        }
        assertThat(records).as("the start-up is logged").isNotEmpty();
        assertThat(records).allSatisfy(record -> assertThat(record.fieldNames()).toIterable()
                .contains("timestamp", "level", "loggerName", "message"));
        assertThat(records).anySatisfy(record -> assertThat(record.path("message").asText()).contains("started in"));
        assertThat(api.log()).as("no secret in the log").doesNotContain(env.get("TEACHTRACK_DB_PASSWORD"))
                .doesNotContain(env.get("TEACHTRACK_ADMIN_PASSWORD"));
    }
}
