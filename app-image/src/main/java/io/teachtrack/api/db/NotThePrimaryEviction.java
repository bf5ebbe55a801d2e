package io.teachtrack.api.db;

import com.zaxxer.hikari.SQLExceptionOverride;

import java.sql.SQLException;

/**
 * Tells the connection pool to discard a connection that reached a server which is no longer the primary (read-only,
 * fenced, its session killed): Hikari would keep it, since the server still answers, and every later write on it would
 * fail the same way. The next connection resolves the primary's Service again and reaches the new primary.
 */
public final class NotThePrimaryEviction implements SQLExceptionOverride {

    // No @Override: inside this type the simple name means SQLExceptionOverride.Override, Hikari's verdict enum.
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
        return SqlErrors.isNotThePrimary(e) ? SQLExceptionOverride.Override.MUST_EVICT : SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
}
