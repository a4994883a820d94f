package dev.tellus.strategy;

import dev.tellus.space.InvalidDefinition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrategiesTest {

    @Test
    void strategiesThatRankByOneLossRefuseSeveralObjectivesNamingTheOthers() {
        assertThat(Strategies.forSeveralObjectives()).containsExactly("auto", "gp", "grid", "nsga2", "random", "tpe");
        for (String name : new String[] {"cmaes", "genetic"}) {
            assertThatThrownBy(() -> Strategies.checkObjectives(name, 2))
                    .isInstanceOfSatisfying(InvalidDefinition.class, e -> {
                        assertThat(e.errors().get(0).field()).isEqualTo("strategy.name");
                        assertThat(e.errors().get(0).message()).startsWith(name + " optimises one objective")
                                .contains("[auto, gp, grid, nsga2, random, tpe]");
                    });
            assertThatCode(() -> Strategies.checkObjectives(name, 1)).doesNotThrowAnyException();
        }
        for (String name : Strategies.forSeveralObjectives()) {
            assertThatCode(() -> Strategies.checkObjectives(name, 3)).doesNotThrowAnyException();
        }
    }
}
