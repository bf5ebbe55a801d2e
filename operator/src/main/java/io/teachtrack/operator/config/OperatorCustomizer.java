package io.teachtrack.operator.config;

import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurationServiceCustomizer;
import io.teachtrack.operator.metrics.ReconcileMetrics;
import jakarta.inject.Singleton;

import java.util.function.Consumer;

/**
 * Run-time operator settings: leader election (so one image serves a single replica and several; the chart
 * decides) and the reconcile metrics.
 */
@Singleton
public class OperatorCustomizer implements ConfigurationServiceCustomizer {

    private final OperatorSettings settings;
    private final ReconcileMetrics metrics;

    public OperatorCustomizer(OperatorSettings settings, ReconcileMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public Consumer<ConfigurationServiceOverrider> overrider() {
        return overrider -> {
            overrider.withMetrics(metrics);
            OperatorSettings.LeaderElection election = settings.leaderElection();
            if (election.enabled()) {
                var builder = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(election.leaseName());
                election.leaseNamespace().ifPresent(builder::withLeaseNamespace);
                overrider.withLeaderElectionConfiguration(builder.build());
            }
        };
    }
}
