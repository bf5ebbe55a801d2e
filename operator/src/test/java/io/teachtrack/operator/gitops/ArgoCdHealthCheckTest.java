package io.teachtrack.operator.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.teachtrack.operator.testing.OperatorFiles;
import io.teachtrack.testkit.Processes;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Argo CD health check for TeachTrack, run by a real Lua 5.1 interpreter on the cases of its
 * {@code health_test.yaml} (Argo CD's own format). The script runs in an environment without the string, table,
 * os and io libraries and with string methods removed, so it works in the barest Argo CD Lua VM.
 */
class ArgoCdHealthCheckTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path CHECK_DIR = OperatorFiles.samples().resolve("argocd/resource_customizations/teachtrack.io/TeachTrack");
    private static final Path LUA = Path.of("/usr/bin/lua5.1");

    @TestFactory
    List<DynamicTest> everyCaseOfHealthTestYaml() throws IOException {
        assertThat(LUA).as("lua5.1 is needed (make deps installs it)").isExecutable();
        JsonNode tests = YAML.readTree(CHECK_DIR.resolve("health_test.yaml").toFile()).get("tests");
        assertThat(tests.size()).isGreaterThanOrEqualTo(8);
        List<DynamicTest> cases = new ArrayList<>();
        for (JsonNode test : tests) {
            String input = test.get("inputPath").asText();
            cases.add(DynamicTest.dynamicTest(input, () -> {
                JsonNode object = YAML.readTree(CHECK_DIR.resolve(input).toFile());
                List<String> health = run(object);
                assertThat(health).containsExactly(test.at("/healthStatus/status").asText(), test.at("/healthStatus/message").asText());
            }));
        }
        return cases;
    }

    @Test
    void theArgoCdConfigMapCarriesTheSameScript() throws IOException {
        JsonNode cm = YAML.readTree(OperatorFiles.samples().resolve("argocd/argocd-cm-health.yaml").toFile());
        String embedded = cm.at("/data/resource.customizations.health.teachtrack.io_TeachTrack").asText();
        assertThat(embedded).isEqualTo(Files.readString(CHECK_DIR.resolve("health.lua")));
    }

    @Test
    void applicationsSyncTheOperatorBeforeTheTeachTrack() throws IOException {
        JsonNode operator = YAML.readTree(OperatorFiles.samples().resolve("argocd/application-operator.yaml").toFile());
        JsonNode school = YAML.readTree(OperatorFiles.samples().resolve("argocd/application-teachtrack.yaml").toFile());
        int operatorWave = operator.at("/metadata/annotations/argocd.argoproj.io~1sync-wave").asInt();
        int schoolWave = school.at("/metadata/annotations/argocd.argoproj.io~1sync-wave").asInt();
        assertThat(operatorWave).isLessThan(schoolWave);
        assertThat(operator.at("/spec/syncPolicy/syncOptions").toString()).contains("ServerSideApply=true");
        assertThat(operator.at("/spec/source/path").asText()).isEqualTo("helm/teachtrack-operator");
    }

    private static List<String> run(JsonNode object) throws IOException {
        Path wrapper = Files.createTempFile("health-check", ".lua");
        try {
            Files.writeString(wrapper, """
                    -- No string methods, and an environment with nothing but what a bare VM has.
                    getmetatable("").__index = nil
                    local env = { ipairs = ipairs, pairs = pairs, type = type, tostring = tostring, tonumber = tonumber, obj = %s }
                    local chunk = assert(loadfile("health.lua"))
                    setfenv(chunk, env)
                    local hs = chunk()
                    io.write(tostring(hs.status), "\\n", tostring(hs.message), "\\n")
                    """.formatted(toLua(object)));
            List<String> command = List.of(LUA.toString(), wrapper.toString());
            String out = Processes.run(command, CHECK_DIR, Duration.ofSeconds(20)).requireSuccess(command).stdout();
            return out.lines().toList();
        } finally {
            Files.deleteIfExists(wrapper);
        }
    }

    /** A JSON tree as a Lua table constructor (null values are left out, as Argo CD's conversion does). */
    static String toLua(JsonNode node) {
        if (node.isObject()) {
            StringBuilder lua = new StringBuilder("{");
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getValue().isNull()) {
                    lua.append('[').append(quote(field.getKey())).append("]=").append(toLua(field.getValue())).append(',');
                }
            }
            return lua.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder lua = new StringBuilder("{");
            node.forEach(item -> lua.append(toLua(item)).append(','));
            return lua.append('}').toString();
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        return quote(node.asText());
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }
}
