package dev.tellus.strategy.random;

import dev.tellus.history.Observation;
import dev.tellus.space.CategoricalParameter;
import dev.tellus.space.Condition;
import dev.tellus.space.FloatParameter;
import dev.tellus.space.IntParameter;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.SimulatedStudy;
import dev.tellus.strategy.Strategy;
import dev.tellus.strategy.StrategyContractTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RandomSearchTest extends StrategyContractTest {

    @Override
    protected Strategy create(SearchSpace space) {
        return new RandomSearch();
    }

    @Test
    void logParametersAreLogUniform() {
        var space = SearchSpace.of(new FloatParameter("lr", 1e-6, 1.0, true, null, Condition.ALWAYS));
        var study = new SimulatedStudy(space, create(space), 1);
        int belowMilli = 0;
        int n = 4000;
        for (Observation o : study.ask(n)) {
            if ((double) o.params().get("lr") < 1e-3) {
                belowMilli++;
            }
        }
        // Half of the log range lies below 1e-3; a linear draw would put 0.1% there.
        assertThat(belowMilli / (double) n).isCloseTo(0.5, within(0.04));
    }

    @Test
    void intAndStepValuesAreEquallyLikelyIncludingTheEnds() {
        var space = SearchSpace.of(
                new IntParameter("k", 1, 4, false, 1, Condition.ALWAYS),
                new FloatParameter("d", 0.0, 0.5, false, 0.25, Condition.ALWAYS));
        var ks = new HashMap<Object, Integer>();
        var ds = new HashMap<Object, Integer>();
        for (Observation o : new SimulatedStudy(space, create(space), 2).ask(4000)) {
            ks.merge(o.params().get("k"), 1, Integer::sum);
            ds.merge(o.params().get("d"), 1, Integer::sum);
        }
        assertThat(ks).containsOnlyKeys(1L, 2L, 3L, 4L);
        assertThat(ds).containsOnlyKeys(0.0, 0.25, 0.5);
        ks.values().forEach(c -> assertThat(c).isBetween(850, 1150));
        ds.values().forEach(c -> assertThat(c).isBetween(1180, 1490));
    }

    @Test
    void aTrialsDrawDependsOnItsNumberNotOnHowItWasBatched() {
        SearchSpace space = mixedSpace();
        var oneByOne = new SimulatedStudy(space, create(space), 77);
        var inBatch = new SimulatedStudy(space, create(space), 77);
        List<Map<String, Object>> single = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            single.add(oneByOne.ask(1).get(0).params());
        }
        assertThat(inBatch.ask(6).stream().map(Observation::params).toList()).isEqualTo(single);
    }

    @Test
    void categoricalChoicesKeepTheirJsonTypes() {
        var space = SearchSpace.of(new CategoricalParameter("c", List.of("a", 1L, true, 2.5), Condition.ALWAYS));
        var seen = new java.util.HashSet<Object>();
        for (Observation o : new SimulatedStudy(space, create(space), 3).ask(200)) {
            seen.add(o.params().get("c"));
        }
        assertThat(seen).containsExactlyInAnyOrder("a", 1L, true, 2.5);
    }
}
