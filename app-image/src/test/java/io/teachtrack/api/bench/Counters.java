package io.teachtrack.api.bench;

import io.teachtrack.testkit.DatabaseServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** What the servers and the app counted: SELECTs per database server, and the app's Prometheus counters. */
final class Counters {

    private Counters() {
    }

    static long selects(DatabaseServer server) {
        // SHOW works on both engines whether or not performance_schema is on (the status tables are empty without it).
        try (Connection connection = server.root(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_select'")) {
            if (!row.next()) {
                throw new IllegalStateException(server.name() + " reports no Com_select");
            }
            return row.getLong("Value");
        } catch (SQLException e) {
            throw new IllegalStateException("Com_select of " + server.name(), e);
        }
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
