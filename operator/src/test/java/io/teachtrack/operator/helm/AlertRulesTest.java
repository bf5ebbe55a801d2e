package io.teachtrack.operator.helm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.teachtrack.operator.testing.MonitoringBundle;
import io.teachtrack.operator.testing.OperatorChart;
import io.teachtrack.operator.testing.OperatorFiles;
import io.teachtrack.testkit.Processes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's alert rules, as its PrometheusRule carries them, through Prometheus' own promtool: they parse, their
 * templates expand, and each alert fires when and only when its platform is unwell, with the labels and annotations a
 * receiver gets ({@code alerts/teachtrack-alerts-test.yaml}).
 */
class AlertRulesTest {

    private static final Path DIR = OperatorFiles.root().resolve("operator/target/alerts");
    private static final String TESTS = "teachtrack-alerts-test.yaml";

    private static Path promtool;
    private static List<HasMetadata> bundle;

    @BeforeAll
    static void writeTheRenderedRules() throws IOException {
        promtool = OperatorChart.nodeTool("promtool");
        bundle = OperatorChart.objects(OperatorChart.render("ops", MonitoringBundle.ENABLED));
        Files.createDirectories(DIR);
        Files.writeString(DIR.resolve("teachtrack-alerts.yaml"), MonitoringBundle.ruleFile(bundle));
        try (InputStream tests = Objects.requireNonNull(AlertRulesTest.class.getResourceAsStream("/alerts/" + TESTS), TESTS)) {
            Files.copy(tests, DIR.resolve(TESTS), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void theRulesParseAndTheirTemplatesExpand() {
        Processes.Result check = promtool("check", "rules", "teachtrack-alerts.yaml");
        assertThat(check.exitCode()).as(check.stdout() + check.stderr()).isZero();
        assertThat(check.stdout()).contains("SUCCESS: 9 rules found");
    }

    @Test
    void eachAlertFiresForAnUnwellPlatformOnlyWithTheLabelsAndAnnotationsAReceiverGets() {
        Processes.Result test = promtool("test", "rules", TESTS);
        assertThat(test.exitCode()).as(test.stdout() + test.stderr()).isZero();
        assertThat(test.stdout()).contains("SUCCESS");
    }

    @Test
    void everyAlertHasAUnitTest() throws IOException {
        String tests = Files.readString(DIR.resolve(TESTS));
        assertThat(MonitoringBundle.alerts(bundle).keySet())
                .allSatisfy(alert -> assertThat(tests).as("a test of " + alert).contains("alertname: " + alert + "\n"));
    }

    private static Processes.Result promtool(String... args) {
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        return Processes.run(command, DIR, Duration.ofMinutes(2));
    }
}
