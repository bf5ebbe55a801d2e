package io.teachtrack.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The chart's monitoring bundle as rendered: its alert rules, its dashboard, and the series their PromQL reads. */
public final class MonitoringBundle {

    /** The chart's values that turn every part of the bundle on. */
    public static final Map<String, Object> ENABLED = Map.of("monitoring.podMonitor.enabled", true,
            "monitoring.prometheusRule.enabled", true, "monitoring.dashboard.enabled", true);

    /**
     * One client with a connect timeout, never closed per call: a pod replaced since it was listed leaves an address
     * nothing answers, and closing a client waits for its pending connect, which the kernel gives up only after about
     * two minutes of SYN retries (the likely reason a 4-minute wait once ended with no failure recorded).
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "and", "or", "unless", "on", "ignoring", "bool", "offset",
            "group_left", "group_right");
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\(\\s*(.*?)\\s*,\\s*\\w+\\s*\\)$");

    private MonitoringBundle() {
    }

    /** The rendered PrometheusRule's rules: alert name to expression. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> alerts(List<HasMetadata> objects) {
        GenericKubernetesResource rule = objects.stream().filter(o -> o.getKind().equals("PrometheusRule"))
                .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
        Map<String, String> alerts = new LinkedHashMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) ((Map<String, Object>) rule.getAdditionalProperties().get("spec")).get("groups")) {
            for (Map<String, Object> r : (List<Map<String, Object>>) group.get("rules")) {
                alerts.put((String) r.get("alert"), (String) r.get("expr"));
            }
        }
        return alerts;
    }

    /** The rendered PrometheusRule's spec (its rule groups), as promtool reads a rule file. */
    @SuppressWarnings("unchecked")
    public static String ruleFile(List<HasMetadata> objects) {
        GenericKubernetesResource rule = objects.stream().filter(o -> o.getKind().equals("PrometheusRule"))
                .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
        return Serialization.asYaml(rule.getAdditionalProperties().get("spec"));
    }

    /** The dashboard the rendered ConfigMap carries. */
    public static JsonNode dashboard(List<HasMetadata> objects) {
        ConfigMap map = objects.stream().filter(o -> o instanceof ConfigMap c && c.getMetadata().getName().endsWith("-dashboard"))
                .map(ConfigMap.class::cast).findFirst().orElseThrow();
        try {
            return Serialization.jsonMapper().readTree(map.getData().get("teachtrack-platforms.json"));
        } catch (Exception e) {
            throw new IllegalStateException("the dashboard is not JSON: " + e.getMessage(), e);
        }
    }

    /** Every PromQL expression of the dashboard: its panels' targets and its variables' queries. */
    public static List<String> dashboardExpressions(JsonNode dashboard) {
        List<String> expressions = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText())));
        dashboard.path("templating").path("list").forEach(variable -> {
            if ("query".equals(variable.path("type").asText())) {
                Matcher labelValues = LABEL_VALUES.matcher(variable.path("query").asText());
                if (labelValues.matches()) {
                    expressions.add(labelValues.group(1));
                }
            }
        });
        return expressions;
    }

    /** The metric names a PromQL expression reads (label matchers, ranges, groupings, functions and keywords left out). */
    public static Set<String> metricNames(String expression) {
        String bare = expression.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String token = identifier.group();
            boolean function = bare.substring(identifier.end()).stripLeading().startsWith("(");
            boolean number = identifier.start() > 0 && Character.isDigit(bare.charAt(identifier.start() - 1));
            if (!function && !number && !KEYWORDS.contains(token)) {
                names.add(token);
            }
        }
        return names;
    }

    /** The Prometheus text exposition a pod serves at port 8080 (the operator's, the API's and the workers' port). */
    public static String scrape(String podIp) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + podIp + ":8080/q/metrics")).timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + request.uri() + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The metric names of a Prometheus text exposition. */
    public static Set<String> exportedNames(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }
}
