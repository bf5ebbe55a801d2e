package io.teachtrack.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.teachtrack.operator.model.LogFormat;
import io.teachtrack.operator.model.PlatformDefaults;

import java.time.Duration;
import java.util.Optional;

/**
 * The operator's own configuration ({@code teachtrack.*} in application.properties, each overridable by an
 * environment variable such as {@code TEACHTRACK_MYSQL_ADDRESS_MODE=pod-ip}).
 */
@ConfigMapping(prefix = "teachtrack")
public interface OperatorSettings {

    Images images();

    /** How the API and worker pods log (TEACHTRACK_LOG_FORMAT: text or json); the chart sets it with the operator's own. */
    @WithDefault("text")
    LogFormat logFormat();

    Mysql mysql();

    LeaderElection leaderElection();

    /**
     * The namespace the operator's pods run in (the chart sets it from the pod's own): MySQL's NetworkPolicy admits
     * the operator from there only. Unset when the operator runs outside the cluster.
     */
    Optional<String> operatorNamespace();

    /** Images used when a TeachTrack names none: the names {@code make images} tags (the Helm chart sets them too). */
    interface Images {
        @WithDefault("localhost/teachtrack/teachtrack-api:0.1.0")
        String api();

        @WithDefault("localhost/teachtrack/mysql:9.7")
        String mysql();

        @WithDefault("localhost/teachtrack/mariadb:11.8")
        String mariadb();

        @WithDefault("localhost/teachtrack/redis:8.0")
        String redis();
    }

    interface Mysql {
        /** How the operator reaches MySQL pods: their DNS names (in a cluster) or their pod IPs (local tests). */
        @WithDefault("dns")
        AddressMode addressMode();

        /** How often replication is observed, and so how often a TeachTrack is reconciled when nothing happens. */
        @WithDefault("5s")
        Duration pollInterval();
    }

    interface LeaderElection {
        /** Turn on when more than one operator replica runs (the Helm chart does when replicas > 1). */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("teachtrack-operator")
        String leaseName();

        /** Namespace of the Lease; default: the operator pod's own namespace. */
        Optional<String> leaseNamespace();
    }

    enum AddressMode { DNS, POD_IP }

    default PlatformDefaults platformDefaults() {
        return new PlatformDefaults(images().api(), images().mysql(), images().mariadb(), images().redis(), logFormat());
    }
}
