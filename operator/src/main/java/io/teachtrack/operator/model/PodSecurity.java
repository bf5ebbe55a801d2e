package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/** Security contexts of every pod: non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp. */
public final class PodSecurity {

    /** uid/gid of the API image (Quarkus' UBI base image user). */
    public static final long APP_USER = 185L;
    /** uid/gid of the mysql, mariadb and redis images' own users. */
    public static final long DATA_USER = 999L;

    private PodSecurity() {
    }

    public static PodSecurityContext pod(long user) {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(user)
                .withRunAsGroup(user)
                .withFsGroup(user)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    public static SecurityContext container(boolean readOnlyRootFilesystem) {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withPrivileged(false)
                .withReadOnlyRootFilesystem(readOnlyRootFilesystem)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .build();
    }
}
