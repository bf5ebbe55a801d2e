package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Requests and limits used when the TeachTrack leaves {@code resources} out. */
public final class DefaultResources {

    private static final BigDecimal MI = BigDecimal.valueOf(1024L * 1024L);

    private DefaultResources() {
    }

    public static ResourceRequirements orDefault(ResourceRequirements given, ResourceRequirements fallback) {
        boolean empty = given == null
                || ((given.getRequests() == null || given.getRequests().isEmpty())
                && (given.getLimits() == null || given.getLimits().isEmpty()));
        return empty ? fallback : given;
    }

    /**
     * The memory request is the limit: the API image gives the heap 40 % of the limit, so the JVM's resident size
     * (about 200 MiB idle, well under 400 MiB under load) stays below the autoscaler's 80 % memory target, which then
     * never holds pods a CPU load added.
     */
    public static ResourceRequirements api() {
        return of("250m", "512Mi", "512Mi");
    }

    public static ResourceRequirements worker() {
        return of("100m", "256Mi", "512Mi");
    }

    public static ResourceRequirements mysql() {
        return of("250m", "512Mi", "1Gi");
    }

    /** Redis holds up to maxMemory of data plus its own overhead. */
    public static ResourceRequirements redis(String maxMemory) {
        long mebibytes = Quantity.getAmountInBytes(new Quantity(maxMemory)).divide(MI, RoundingMode.CEILING).longValue();
        return of("100m", (mebibytes + 64) + "Mi", (mebibytes + 128) + "Mi");
    }

    private static ResourceRequirements of(String cpuRequest, String memoryRequest, String memoryLimit) {
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(cpuRequest))
                .addToRequests("memory", new Quantity(memoryRequest))
                .addToLimits("memory", new Quantity(memoryLimit))
                .build();
    }
}
