package io.teachtrack.api.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PageTest {

    @Test
    void theExtraRowOnlySaysThereIsMore() {
        Page<Long> page = Page.of(List.of(1L, 2L, 3L), 2, Long::longValue);
        assertThat(page.items()).containsExactly(1L, 2L);
        assertThat(page.next()).isEqualTo(2L);
    }

    @Test
    void theLastPageHasNoNext() {
        assertThat(Page.of(List.of(5L, 6L), 2, Long::longValue).next()).isNull();
        assertThat(Page.of(List.<Long>of(), 2, Long::longValue).items()).isEmpty();
    }
}
