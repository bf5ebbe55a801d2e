package io.teachtrack.api.bench;

import io.teachtrack.testkit.DatabaseEngine;
import io.teachtrack.testkit.DatabaseServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** What the servers and the app counted: SELECTs per database server, and the app's Prometheus counters. */
final class Counters {

    private Counters() {
    }

    static long selects(DatabaseServer server) {
        // MySQL moved the status tables to performance_schema; MariaDB keeps them in information_schema.
        String table = server.engine() == DatabaseEngine.MYSQL ? "performance_schema.global_status" : "information_schema.GLOBAL_STATUS";
        return server.queryLong("SELECT VARIABLE_VALUE FROM " + table + " WHERE VARIABLE_NAME = 'COM_SELECT'");
    }

    static long selects(List<DatabaseServer> servers) {
        return servers.stream().mapToLong(Counters::selects).sum();
    }

    /** The app's cache lookups so far, by result. */
    record Cache(double hits, double misses) {
        Cache since(Cache before) {
            return new Cache(hits - before.hits, misses - before.misses);
        }

        double hitRatio() {
            return hits / Math.max(1, hits + misses);
        }
    }

    static Cache cache(HttpClient http, String baseUrl) {
        return new Cache(metric(http, baseUrl, "teachtrack_cache_requests_total", "result=\"hit\""),
                metric(http, baseUrl, "teachtrack_cache_requests_total", "result=\"miss\""));
    }

    /** Sum of the samples of a metric whose line contains every fragment, e.g. {@code result="hit"}. */
    static double metric(HttpClient http, String baseUrl, String name, String... fragments) {
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                    .filter(line -> List.of(fragments).stream().allMatch(line::contains))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
