package io.teachtrack.api.jobs;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class JobQueueTest {

    @Test
    void retriesBackOffExponentiallyUpToFiveMinutes() {
        assertThat(JobQueue.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(JobQueue.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(JobQueue.backoff(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(JobQueue.backoff(9)).isEqualTo(Duration.ofSeconds(256));
        assertThat(JobQueue.backoff(10)).isEqualTo(Duration.ofMinutes(5));
        assertThat(JobQueue.backoff(60)).isEqualTo(Duration.ofMinutes(5));
    }
}
