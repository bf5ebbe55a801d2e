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
        try {
            TeachTrack sample = Serialization.unmarshal(Files.readString(OperatorFiles.samples().resolve("teachtrack-production.yaml")), TeachTrack.class);
            sample.getMetadata().setNamespace(namespace);
            sample.getSpec().getMysql().setEngine(engine);
            return sample;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
