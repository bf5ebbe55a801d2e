package io.teachtrack.operator.bench;

import io.teachtrack.operator.api.v1alpha1.MysqlEngine;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one run of a fault showed: how long writes were unavailable, how many acknowledged writes the primary
 * afterwards lacks (must be 0), how many samples saw two servers able to commit (must be 0), what became of the
 * former primary, the answers other than 201 (503 is the API's "retry", anything else a defect), and the rows read
 * through the API around the fault whose answer afterwards differs from the new primary (must be none: nothing from a
 * write the failover lost may survive in the cache).
 */
record FaultOutcome(MysqlEngine engine, Fault fault, int run, Duration unavailable, int acknowledged, int lost, List<String> splitBrain,
        int fencingSamples, int samples, String primaryBefore, String primaryAfter, String formerPrimary, Map<Integer, Long> refusals,
        int idsReadAroundTheFault, List<String> cacheDisagreements, String failure) {

    static FaultOutcome failed(MysqlEngine engine, Fault fault, int run, String failure) {
        return new FaultOutcome(engine, fault, run, Duration.ZERO, 0, 0, List.of(), 0, 0, "", "", "", Map.of(), 0, List.of(), failure);
    }

    int splitBrainSamples() {
        return splitBrain.size();
    }

    boolean failedToRun() {
        return failure != null;
    }

    boolean movedThePrimary() {
        return !primaryBefore.equals(primaryAfter);
    }

    /** Answers that are neither 201 nor 503 nor a missing answer: errors the API must not give during a failover. */
    long errors() {
        return refusals.entrySet().stream().filter(e -> e.getKey() != 503 && e.getKey() != AcknowledgedWrites.NO_ANSWER)
                .mapToLong(Map.Entry::getValue).sum();
    }

    @Override
    public String toString() {
        if (failedToRun()) {
            return "%s %s run %d FAILED: %s".formatted(engine, fault, run, failure);
        }
        return "%s %s run %d: writes unavailable %d ms, %d acknowledged, %d lost, %d of %d samples with two servers able to commit %s (%d with"
                .formatted(engine, fault, run, unavailable.toMillis(), acknowledged, lost, splitBrain.size(), samples, splitBrain, fencingSamples)
                + " a second one writable for administrators only, a fence under way),"
                + " primary %s -> %s, former primary %s, answers other than 201: %s".formatted(primaryBefore, primaryAfter, formerPrimary,
                        refusals)
                + ", %d ids read through the API around the fault, answers unlike the primary: %s".formatted(idsReadAroundTheFault,
                        cacheDisagreements);
    }
}
