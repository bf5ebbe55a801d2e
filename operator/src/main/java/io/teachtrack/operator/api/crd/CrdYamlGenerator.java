package io.teachtrack.operator.api.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Writes the TeachTrack CRD YAML from the annotated API classes. The build runs it at
 * {@code process-classes}; {@code make crds} copies the result to {@code crds/}.
 * <p>
 * The fabric8 generator sorts printer columns by JSON path; kubectl shows them in CRD order, so they are
 * put back in the order they are declared on {@link TeachTrack} (READY, PHASE, API, REPLICAS, LAG, AGE, PRIMARY).
 */
public final class CrdYamlGenerator {

    private CrdYamlGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: CrdYamlGenerator <output directory> <kubernetes-definitions.json>");
        }
        var printerColumns = new DeclaredPrinterColumnOrder(TeachTrack.class);
        var descriptions = new KubernetesDescriptions(Path.of(args[1]), EmbeddedKubernetesTypes.inTeachTrack());
        File out = new File(args[0]);
        if (!out.isDirectory() && !out.mkdirs()) {
            throw new IllegalStateException("cannot create " + out);
        }
        int written = new CRDGenerator()
                .inOutputDir(out)
                .forCRDVersions("v1")
                .withPostProcessor(new InTurn(List.of(printerColumns, descriptions)))
                .customResourceClasses(TeachTrack.class)
                .generate();
        System.out.println("[crds] wrote " + written + " CRD(s) to " + out);
    }

    /** Runs post-processors one after the other (the generator takes one). */
    record InTurn(List<CRDPostProcessor> steps) implements CRDPostProcessor {
        @Override
        public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            HasMetadata processed = crd;
            for (CRDPostProcessor step : steps) {
                processed = step.process(processed, crdSpecVersion);
            }
            return processed;
        }
    }

    /** Orders printer columns as their annotations are declared on the custom resource class. */
    static final class DeclaredPrinterColumnOrder implements CRDPostProcessor {
        private final List<String> declared;

        DeclaredPrinterColumnOrder(Class<?> resourceClass) {
            this.declared = Arrays.stream(resourceClass.getAnnotationsByType(AdditionalPrinterColumn.class))
                    .map(AdditionalPrinterColumn::name)
                    .toList();
        }

        @Override
        public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            ((CustomResourceDefinition) crd).getSpec().getVersions().forEach(version -> version
                    .getAdditionalPrinterColumns()
                    .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) -> declared.indexOf(c.getName()))));
            return crd;
        }
    }
}
