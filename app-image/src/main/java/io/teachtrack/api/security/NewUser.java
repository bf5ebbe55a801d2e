package io.teachtrack.api.security;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A login account to create; a teacher account names its teacher, a student account its student. */
public record NewUser(
        @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9._-]{2,63}", message = "3-64 lower-case letters, digits, '.', '_' or '-'") String username,
        @NotNull @Size(min = 8, max = 200) String password,
        @NotNull Role role,
        Long teacherId,
        Long studentId) {

    @Override
    public String toString() {
        return "NewUser[username=" + username + ", role=" + role + "]"; // never the password
    }
}
