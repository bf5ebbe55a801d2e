package io.teachtrack.api.cache;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheKeysTest {

    @Test
    void everyScopeHasItsOwnVersionedGenerationHoldAndValueKeys() {
        CacheScope scope = CacheScope.of("class", 42);
        assertThat(scope.generationKey()).isEqualTo("tt:v1:gen:class:42");
        assertThat(scope.holdKey()).isEqualTo("tt:v1:hold:class:42");
        assertThat(scope.valuePrefix()).isEqualTo("tt:v1:val:class:42");
        assertThat(CacheScope.epochKey()).isEqualTo("tt:v1:epoch");
        assertThat(CacheScope.of("classes").generationKey()).isNotEqualTo(scope.generationKey());
        assertThat(CacheKey.entity("class", 42)).isEqualTo(new CacheKey(scope, "one"));
    }

    @Test
    void blankOrSpacedNamesAreRefused() {
        assertThatThrownBy(() -> CacheScope.of(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CacheScope("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CacheKey(CacheScope.of("x"), "")).isInstanceOf(IllegalArgumentException.class);
    }

    @RepeatedTest(20)
    void ttlsAreJitteredWithinTenPercent() {
        Duration jittered = ReadThroughCache.jittered(Duration.ofSeconds(100));
        assertThat(jittered).isBetween(Duration.ofSeconds(90), Duration.ofSeconds(110));
    }
}
