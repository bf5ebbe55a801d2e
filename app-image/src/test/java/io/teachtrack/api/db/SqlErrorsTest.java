package io.teachtrack.api.db;

import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.core.transaction.TransactionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;

import static org.assertj.core.api.Assertions.assertThat;

class SqlErrorsTest {

    /** What a fenced, read-only, killed or shutting-down former primary answers, wrapped as Jdbi wraps it. */
    @ParameterizedTest
    @ValueSource(ints = {1290, 1836, 3032, 1927, 1053, 3100})
    void aServerThatNoLongerTakesWritesIsNotThePrimary(int errorCode) {
        SQLException refused = new SQLException("refused", "HY000", errorCode);
        assertThat(SqlErrors.isNotThePrimary(new TransactionException("Failed to commit transaction", refused))).isTrue();
        assertThat(SqlErrors.isConnectionFailure(refused)).isFalse();
    }

    @Test
    void otherServerErrorsAreNotMistakenForAFailover() {
        SQLException syntax = new SQLException("You have an error in your SQL syntax", "42000", 1064);
        assertThat(SqlErrors.isNotThePrimary(new UnableToExecuteStatementException(syntax, null))).isFalse();
        assertThat(SqlErrors.isConnectionFailure(syntax)).isFalse();
    }

    @Test
    void aBrokenConnectionIsAConnectionFailure() {
        assertThat(SqlErrors.isConnectionFailure(new TransactionException("Failed to commit transaction",
                new SQLException("Communications link failure", "08S01", 0)))).isTrue();
    }

    @Test
    void constraintViolationsAreToldApart() {
        assertThat(SqlErrors.isDuplicateKey(new SQLIntegrityConstraintViolationException("Duplicate entry", "23000", 1062))).isTrue();
        assertThat(SqlErrors.isForeignKeyViolation(new SQLIntegrityConstraintViolationException("no parent", "23000", 1452))).isTrue();
        assertThat(SqlErrors.isDuplicateKey(new SQLIntegrityConstraintViolationException("no parent", "23000", 1452))).isFalse();
    }
}
