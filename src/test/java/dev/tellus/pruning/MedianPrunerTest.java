package dev.tellus.pruning;

import dev.tellus.pruning.Pruner.Report;
import dev.tellus.space.FieldError;
import dev.tellus.space.InvalidDefinition;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class MedianPrunerTest extends PrunerContractTest {

    @Override
    Pruner create() {
        return Pruners.create("median", Map.of());
    }

    @Override
    String name() {
        return "median";
    }

    private static final double[] FIVE = {1, 2, 3, 4, 5};

    @Test
    void stopsWhenTheBestSoFarIsWorseThanTheMedianOfThePeers() {
        Pruner median = create().resolve((long) STEPS);
        assertThat(median.prune(new Report(3, 3.5, 3.5), FIVE)).isTrue();
        assertThat(median.prune(new Report(3, 3.0, 3.0), FIVE)).as("equal to the median continues").isFalse();
        // A noisy latest step does not stop a trial whose best so far is good.
        assertThat(median.prune(new Report(3, 9.0, 2.0), FIVE)).isFalse();
    }

    @Test
    void startupTrialsWarmupAndIntervalHoldDecisionsBack() {
        Pruner pruner = Pruners.create("median", Map.of("startupTrials", 6, "warmupSteps", 10, "interval", 5));
        assertThat(pruner.prune(new Report(20, 100, 100), FIVE)).as("5 peers < 6 start-up trials").isFalse();
        assertThat(pruner.prune(new Report(20, 100, 100), new double[] {1, 2, 3, 4, 5, 6})).isTrue();
        assertThat(pruner.judges(0, 9)).isFalse();
        assertThat(pruner.judges(0, 10)).isTrue();
        assertThat(pruner.judges(0, 12)).isFalse();
        assertThat(pruner.judges(0, 15)).isTrue();
        assertThat(pruner.options()).containsExactly(Map.entry("startupTrials", 6), Map.entry("warmupSteps", 10L),
                Map.entry("interval", 5L));
    }

    @Test
    void percentileIsTheGeneralFormAndALowerOneIsStricter() {
        Pruner p25 = Pruners.create("percentile", Map.of("percentile", 25)).resolve((long) STEPS);
        Pruner p75 = Pruners.create("percentile", Map.of("percentile", 75.0)).resolve((long) STEPS);
        assertThat(p25.prune(new Report(1, 2.5, 2.5), FIVE)).isTrue();
        assertThat(p75.prune(new Report(1, 2.5, 2.5), FIVE)).isFalse();
        assertThat(p75.prune(new Report(1, 4.5, 4.5), FIVE)).isTrue();
        assertThat(p25.options()).containsEntry("percentile", 25.0).containsEntry("startupTrials", 5);
    }

    @Test
    void theWarmupDefaultsToAThirdOfTheFirstCompletedTrialsSteps() {
        Pruner auto = create();
        assertThat(auto.options()).containsEntry("warmupSteps", "auto");
        assertThat(auto.needsReference()).isTrue();
        assertThat(auto.judges(0, 30)).as("unresolved, it judges nothing").isFalse();
        assertThat(auto.resolve(null)).as("no completed trial yet: nothing is pruned").isInstanceOf(NoPruner.class);
        Pruner fifty = auto.resolve(50L);
        assertThat(fifty.options()).containsEntry("warmupSteps", 16L);
        assertThat(fifty.judges(0, 15)).isFalse();
        assertThat(fifty.judges(0, 16)).isTrue();
        assertThat(Pruners.create("median", Map.of("warmupSteps", "auto")).options()).isEqualTo(auto.options());
        assertThat(Pruners.create("median", Map.of("warmupSteps", 0)).needsReference()).isFalse();
        var words = catchThrowableOfType(InvalidDefinition.class, () -> Pruners.create("median", Map.of("warmupSteps", "soon")));
        assertThat(words.errors()).extracting(FieldError::message).containsExactly("must be an integer >= 0 or \"auto\"");
    }

    @Test
    void badOptionsAreReportedByField() {
        var e = catchThrowableOfType(InvalidDefinition.class, () -> Pruners.create("percentile",
                Map.of("interval", 0, "warmupSteps", 1.5, "speed", 3)));
        assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("pruner.options.speed",
                "pruner.options.percentile", "pruner.options.warmupSteps", "pruner.options.interval");
        var median = catchThrowableOfType(InvalidDefinition.class, () -> Pruners.create("median", Map.of("percentile", 30)));
        assertThat(median.errors()).extracting(FieldError::field).containsExactly("pruner.options.percentile");
        var outside = catchThrowableOfType(InvalidDefinition.class, () -> Pruners.create("percentile", Map.of("percentile", 101)));
        assertThat(outside.errors()).extracting(FieldError::field).containsExactly("pruner.options.percentile");
        var unknown = catchThrowableOfType(InvalidDefinition.class, () -> Pruners.create("early", Map.of()));
        assertThat(unknown.errors()).extracting(FieldError::field).containsExactly("pruner.name");
    }
}
