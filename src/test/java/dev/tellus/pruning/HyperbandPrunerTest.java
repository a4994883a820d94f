package dev.tellus.pruning;

import dev.tellus.pruning.Pruner.Report;
import dev.tellus.space.FieldError;
import dev.tellus.space.InvalidDefinition;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class HyperbandPrunerTest extends PrunerContractTest {

    @Override
    Pruner create() {
        return Pruners.create("hyperband", Map.of());
    }

    @Override
    String name() {
        return "hyperband";
    }

    @Test
    void bracketsStartTheirRungsAtSuccessivelyLargerResources() {
        var hyperband = (HyperbandPruner) Pruners.create("hyperband", Map.of("minResource", 1, "maxResource", 27));
        assertThat(hyperband.brackets()).isEqualTo(4);
        assertThat(LongStream.rangeClosed(0, 30).filter(s -> hyperband.judges(0, s)).boxed()).containsExactly(1L, 3L, 9L);
        assertThat(LongStream.rangeClosed(0, 30).filter(s -> hyperband.judges(1, s)).boxed()).containsExactly(3L, 9L);
        assertThat(LongStream.rangeClosed(0, 30).filter(s -> hyperband.judges(2, s)).boxed()).containsExactly(9L);
        assertThat(LongStream.rangeClosed(0, 30).filter(s -> hyperband.judges(3, s)).boxed()).isEmpty();
    }

    @Test
    void bracketsAreDrawnFromSeedAndNumberWithMoreTrialsInTheAggressiveOnes() {
        var hyperband = (HyperbandPruner) Pruners.create("hyperband", Map.of("minResource", 1, "maxResource", 27));
        int[] counts = new int[hyperband.brackets()];
        for (long t = 0; t < 4000; t++) {
            counts[hyperband.bracket(SEED, t)]++;
        }
        // Weights η^h / (h + 1) for h = 3, 2, 1, 0 halvings: 6.75, 3, 1.5, 1 out of 12.25.
        assertThat(counts[0] / 4000.0).isBetween(0.50, 0.60);
        assertThat(counts[1] / 4000.0).isBetween(0.20, 0.29);
        assertThat(counts[2] / 4000.0).isBetween(0.09, 0.16);
        assertThat(counts[3] / 4000.0).isBetween(0.05, 0.11);
        long otherSeed = LongStream.range(0, 200).filter(t -> hyperband.bracket(SEED + 1, t) != hyperband.bracket(SEED, t)).count();
        assertThat(otherSeed).as("another seed assigns differently").isGreaterThan(50);
    }

    @Test
    void trialsAreComparedOnlyWithinTheirBracket() {
        var hyperband = (HyperbandPruner) Pruners.create("hyperband", Map.of("minResource", 1, "maxResource", 27));
        long trial = LongStream.range(0, 100).filter(t -> hyperband.bracket(SEED, t) == 0).findFirst().orElseThrow();
        long[] others = LongStream.range(0, 100).filter(t -> hyperband.bracket(SEED, t) != 0).limit(10).toArray();
        double[] better = new double[others.length];
        // Ten far better peers, all in other brackets: the trial is alone in its bracket and continues.
        assertThat(hyperband.decide(SEED, trial, new Report(1, 5, 5), others, better)).isFalse();
        long[] same = LongStream.range(0, 100).filter(t -> t != trial && hyperband.bracket(SEED, t) == 0).limit(10).toArray();
        assertThat(hyperband.decide(SEED, trial, new Report(1, 5, 5), same, new double[same.length])).isTrue();
    }

    @Test
    void autoResourcesGiveBracketsFromTheFirstCompletedTrialsSteps() {
        Pruner auto = create();
        assertThat(auto.options()).containsEntry("minResource", "auto").containsEntry("maxResource", "auto");
        // 50 steps, η = 3: min 5, max 50, brackets starting at 5, 15 and 45.
        var resolved = (HyperbandPruner) auto.resolve(50L);
        assertThat(resolved.brackets()).isEqualTo(3);
        assertThat(resolved.options()).containsEntry("minResource", 5L).containsEntry("maxResource", 50L);
        assertThat(LongStream.rangeClosed(0, 60).filter(s -> resolved.judges(2, s)).boxed()).containsExactly(45L);
        var minOne = (HyperbandPruner) Pruners.create("hyperband", Map.of("minResource", 1)).resolve(27L);
        assertThat(minOne.brackets()).isEqualTo(4);
        assertThat(auto.resolve(null).stopsTrials()).as("nothing completed yet").isFalse();
        var e = catchThrowableOfType(InvalidDefinition.class, () -> Pruners.create("hyperband", Map.of("maxResource", "all")));
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("pruner.options.maxResource");
    }
}
