package io.teachtrack.api.security;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** A login account as stored; the hash never leaves the server. */
public record UserAccount(long id, String username, @JsonIgnore String passwordHash, Role role, Long teacherId, Long studentId) {
}
