package dev.tellus.web;

import org.junit.jupiter.api.Test;
import org.springframework.orm.jpa.JpaSystemException;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures mean "the database is away" (503, retry) rather than a bug (500), as seen in the restart fault test. */
class DatabaseUnavailableTest {

    @Test
    void connectionFailuresAreRecognisedThroughAnyWrapper() {
        var adminShutdown = new SQLException("FATAL: terminating connection due to administrator command", "57P01");
        assertThat(ProblemHandler.isDatabaseUnavailable(new JpaSystemException(new RuntimeException(adminShutdown)))).isTrue();
        assertThat(ProblemHandler.isDatabaseUnavailable(new RuntimeException(new SQLException("refused", "08001")))).isTrue();
        assertThat(ProblemHandler.isDatabaseUnavailable(new RuntimeException("rollback", new SQLException("Connection is closed")))).isTrue();
        assertThat(ProblemHandler.isDatabaseUnavailable(new RuntimeException(new java.net.SocketException("reset")))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(ProblemHandler.isDatabaseUnavailable(new RuntimeException(new SQLException("syntax", "42601")))).isFalse();
        assertThat(ProblemHandler.isDatabaseUnavailable(new IllegalStateException("bug"))).isFalse();
    }
}
