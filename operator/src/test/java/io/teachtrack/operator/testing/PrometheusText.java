package io.teachtrack.operator.testing;

/** Reading counters from a Prometheus text exposition ({@code /q/metrics}). */
public final class PrometheusText {

    private PrometheusText() {
    }

    /** Sum of a metric over its label sets that contain {@code labelFilter} ("" for all of them; 0 when absent). */
    public static double sum(String exposition, String name, String labelFilter) {
        return lines(exposition, name).lines()
                .filter(line -> line.contains(labelFilter))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** The sample lines of one metric. */
    public static String lines(String exposition, String name) {
        return String.join("\n", exposition.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " ")).toList());
    }
}
