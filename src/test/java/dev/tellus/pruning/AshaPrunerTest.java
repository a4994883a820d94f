package dev.tellus.pruning;

import dev.tellus.pruning.Pruner.Report;
import dev.tellus.space.FieldError;
import dev.tellus.space.InvalidDefinition;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AshaPrunerTest extends PrunerContractTest {

    @Override
    Pruner create() {
        return Pruners.create("asha", Map.of());
    }

    @Override
    String name() {
        return "asha";
    }

    @Test
    void rungsLieAtMinTimesEtaToTheKBelowTheMaximum() {
        Pruner asha = Pruners.create("asha", Map.of("minResource", 2, "reductionFactor", 3, "maxResource", 54));
        assertThat(LongStream.rangeClosed(0, 100).filter(s -> asha.judges(0, s)).boxed()).containsExactly(2L, 6L, 18L);
        var unlimited = new HashMap<String, Object>();
        unlimited.put("minResource", 1);
        unlimited.put("maxResource", null);
        Pruner open = Pruners.create("asha", unlimited);
        assertThat(LongStream.rangeClosed(0, 100).filter(s -> open.judges(0, s)).boxed())
                .as("an explicit null maximum (studies stored before auto) has no limit").containsExactly(1L, 3L, 9L, 27L, 81L);
    }

    @Test
    void autoResourcesComeFromTheFirstCompletedTrialsSteps() {
        Pruner auto = create();
        assertThat(auto.options()).containsEntry("minResource", "auto").containsEntry("maxResource", "auto");
        assertThat(auto.needsReference()).isTrue();
        Pruner waiting = auto.resolve(null);
        assertThat(LongStream.rangeClosed(0, 100).filter(s -> waiting.judges(0, s))).as("no trial completed yet").isEmpty();
        // 50 steps, η = 3: min = ⌊50/9⌋ = 5, max = 50.
        Pruner fifty = auto.resolve(50L);
        assertThat(LongStream.rangeClosed(0, 100).filter(s -> fifty.judges(0, s)).boxed()).containsExactly(5L, 15L, 45L);
        assertThat(LongStream.rangeClosed(0, 100).filter(s -> auto.resolve(4L).judges(0, s)).boxed())
                .as("short runs: min 1").containsExactly(1L, 3L);
        Pruner eta2 = Pruners.create("asha", Map.of("reductionFactor", 2, "minResource", 3));
        assertThat(eta2.options()).containsEntry("minResource", 3L).containsEntry("maxResource", "auto");
        assertThat(LongStream.rangeClosed(0, 100).filter(s -> eta2.resolve(20L).judges(0, s)).boxed()).containsExactly(3L, 6L, 12L);
        assertThat(LongStream.rangeClosed(0, 100).filter(s -> eta2.resolve(2L).judges(0, s)))
                .as("an explicit minimum above what trials report").isEmpty();
        Pruner fixedMax = Pruners.create("asha", Map.of("maxResource", 100, "minResource", "auto"));
        assertThat(LongStream.rangeClosed(0, 200).filter(s -> fixedMax.resolve(7L).judges(0, s)).boxed())
                .as("an explicit maximum wins over the reference").containsExactly(11L, 33L, 99L);
        assertThat(Pruners.create("asha", auto.options()).options()).isEqualTo(auto.options());
    }

    @Test
    void onlyTheTopOneOverEtaOfARungContinues() {
        Pruner asha = Pruners.create("asha", Map.of("minResource", 1, "maxResource", 50));
        double[] eight = {1, 2, 3, 4, 5, 6, 7, 8};
        // Nine trials at the rung: the best three continue.
        assertThat(asha.prune(new Report(3, 2.5, 2.5), eight)).isFalse();
        assertThat(asha.prune(new Report(3, 3.0, 3.0), eight)).as("ties favour the reporting trial").isFalse();
        assertThat(asha.prune(new Report(3, 3.5, 3.5), eight)).isTrue();
        // Fewer than η at the rung: only a new best continues.
        assertThat(asha.prune(new Report(1, 0.5, 0.5), new double[] {1})).isFalse();
        assertThat(asha.prune(new Report(1, 1.5, 0.1), new double[] {1})).as("the value at the rung counts, not the best").isTrue();
    }

    @Test
    void aboutOneInEtaOfUniformTrialsPassesTheFirstRung() {
        Pruner asha = Pruners.create("asha", Map.of("minResource", 1, "maxResource", 50));
        var recorded = new Recorded();
        int passed = 0;
        int n = 300;
        var random = new java.util.SplittableRandom(5);
        for (long t = 0; t < n; t++) {
            double loss = random.nextDouble();
            recorded.put(t, 1, loss);
            if (!recorded.decide(asha, t, 1, loss, loss)) {
                passed++;
            }
        }
        // Arrivals in random order: the expected share is a little above 1/η (early arrivals meet fewer peers).
        assertThat(passed / (double) n).isBetween(0.30, 0.45);
    }

    @Test
    void badOptionsAreReportedByField() {
        var e = catchThrowableOfType(InvalidDefinition.class, () -> Pruners.create("asha",
                Map.of("minResource", 0, "reductionFactor", 1)));
        assertThat(e.errors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("pruner.options.minResource", "pruner.options.reductionFactor");
        var options = new HashMap<String, Object>();
        options.put("minResource", 10);
        options.put("maxResource", 5);
        var order = catchThrowableOfType(InvalidDefinition.class, () -> Pruners.create("asha", options));
        assertThat(order.errors()).extracting(FieldError::field).containsExactly("pruner.options.maxResource");
        options.put("maxResource", null);
        assertThat(Pruners.create("asha", options).options()).containsEntry("maxResource", null);
        var words = catchThrowableOfType(InvalidDefinition.class, () -> Pruners.create("asha",
                Map.of("minResource", "half", "maxResource", -3)));
        assertThat(words.errors()).extracting(FieldError::message).containsOnly("must be an integer >= 1 or \"auto\"");
        assertThat(words.errors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("pruner.options.minResource", "pruner.options.maxResource");
    }
}
