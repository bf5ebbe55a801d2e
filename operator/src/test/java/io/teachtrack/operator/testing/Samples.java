package io.teachtrack.operator.testing;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The committed samples, as the tests apply them. */
public final class Samples {

    private Samples() {
    }

    /** {@code samples/teachtrack-production.yaml} in a namespace, on the given engine (the sample's own is MySQL). */
    public static TeachTrack production(String namespace, MysqlEngine engine) {
        return load("teachtrack-production.yaml", namespace, engine);
    }

    /** {@code samples/teachtrack-small.yaml} (the real node's and the demo's profile) in a namespace, on the given engine. */
    public static TeachTrack small(String namespace, MysqlEngine engine) {
        return load("teachtrack-small.yaml", namespace, engine);
    }

    private static TeachTrack load(String file, String namespace, MysqlEngine engine) {
        try {
            TeachTrack sample = Serialization.unmarshal(Files.readString(OperatorFiles.samples().resolve(file)), TeachTrack.class);
            sample.getMetadata().setNamespace(namespace);
            sample.getSpec().getMysql().setEngine(engine);
            return sample;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
