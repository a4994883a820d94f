package dev.tellus.pruning;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NoPrunerTest extends PrunerContractTest {

    @Override
    Pruner create() {
        return Pruners.create("none", Map.of());
    }

    @Override
    String name() {
        return "none";
    }

    @Test
    void takesNoOptions() {
        assertThat(create().options()).isEmpty();
        assertThatThrownBy(() -> Pruners.create("none", Map.of("interval", 2)))
                .hasMessageContaining("pruner.options.interval");
    }
}
