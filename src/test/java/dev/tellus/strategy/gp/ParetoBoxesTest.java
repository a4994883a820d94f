package dev.tellus.strategy.gp;

import dev.tellus.strategy.support.Pareto;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ParetoBoxesTest {

    private static List<double[]> randomPoints(int n, int m, SplittableRandom random) {
        var out = new ArrayList<double[]>();
        for (int i = 0; i < n; i++) {
            double[] p = new double[m];
            for (int j = 0; j < m; j++) {
                p[j] = random.nextDouble();
            }
            out.add(p);
        }
        return out;
    }

    @Test
    void twoObjectivesMakeOneBoxMoreThanTheFrontHasPoints() {
        var boxes = new ParetoBoxes(List.of(new double[] {0.2, 0.8}, new double[] {0.5, 0.5}, new double[] {0.8, 0.2},
                new double[] {0.9, 0.9}), new double[] {1, 1});
        // Cut lines at 0.2, 0.5, 0.8, 0.9 (the dominated point adds a line, not volume): 5 boxes.
        assertThat(boxes.boxes()).isEqualTo(5);
        // A point at (0.4, 0.4) adds [0.4, 0.5] x [0.4, 0.8] + [0.5, 0.8] x [0.4, 0.5] = 0.04 + 0.03.
        assertThat(boxes.improvement(new double[] {0.4, 0.4})).isCloseTo(0.07, within(1e-12));
        assertThat(boxes.improvement(new double[] {0.6, 0.6})).isZero();
    }

    @Test
    void theImprovementOfAPointIsTheHypervolumeItAddsInTwoAndThreeDimensions() {
        var random = new SplittableRandom(7);
        for (int m = 1; m <= 3; m++) {
            double[] reference = new double[m];
            java.util.Arrays.fill(reference, 1.1);
            for (int round = 0; round < 20; round++) {
                List<double[]> front = randomPoints(3 + round, m, random);
                var boxes = new ParetoBoxes(front, reference);
                double before = Pareto.hypervolume(front, reference);
                for (double[] y : randomPoints(10, m, random)) {
                    var with = new ArrayList<>(front);
                    with.add(y);
                    assertThat(boxes.improvement(y)).isCloseTo(Pareto.hypervolume(with, reference) - before, within(1e-12));
                }
            }
        }
    }

    @Test
    void theLogExpectedImprovementMatchesMonteCarloOverTheSameBoxes() {
        var random = new SplittableRandom(11);
        for (int m = 1; m <= 3; m++) {
            double[] reference = new double[m];
            java.util.Arrays.fill(reference, 1.2);
            var boxes = new ParetoBoxes(randomPoints(12, m, random), reference);
            double[] work = new double[boxes.workSize()];
            for (int round = 0; round < 5; round++) {
                double[] mean = new double[m];
                double[] sd = new double[m];
                for (int j = 0; j < m; j++) {
                    mean[j] = 0.2 + 0.6 * random.nextDouble();
                    sd[j] = 0.05 + 0.3 * random.nextDouble();
                }
                int samples = 200_000;
                double sum = 0;
                double squares = 0;
                double[] y = new double[m];
                for (int s = 0; s < samples; s++) {
                    for (int j = 0; j < m; j++) {
                        y[j] = mean[j] + sd[j] * random.nextGaussian();
                    }
                    double v = boxes.improvement(y);
                    sum += v;
                    squares += v * v;
                }
                double expected = sum / samples;
                double standardError = Math.sqrt((squares / samples - expected * expected) / samples);
                double analytic = Math.exp(boxes.logExpectedImprovement(mean, sd, work));
                // Within 4.5 standard errors of the Monte Carlo mean (and 1% of it, for the rounding).
                assertThat(analytic).isCloseTo(expected, within(4.5 * standardError + 0.01 * expected + 1e-9));
            }
        }
    }

    @Test
    void farBehindTheFrontTheLogStillRisesTowardsIt() {
        double[] reference = {1, 1, 1};
        var boxes = new ParetoBoxes(randomPoints(20, 3, new SplittableRandom(3)), reference);
        double[] work = new double[boxes.workSize()];
        double[] sd = {0.01, 0.01, 0.01};
        double previous = Double.NEGATIVE_INFINITY;
        for (double at = 3; at >= 1.2; at -= 0.2) {
            double v = boxes.logExpectedImprovement(new double[] {at, at, at}, sd, work);
            // Exp underflows long before (about 180 standard deviations behind): the log does not.
            assertThat(v).isFinite().isGreaterThan(previous);
            previous = v;
        }
    }

    @Test
    void oneObjectiveIsLogExpectedImprovementBelowTheBest() {
        var boxes = new ParetoBoxes(List.of(new double[] {0.3}, new double[] {0.7}), new double[] {2});
        double[] work = new double[boxes.workSize()];
        assertThat(boxes.logExpectedImprovement(new double[] {0.5}, new double[] {0.2}, work))
                .isCloseTo(GaussianProcessSearch.logExpectedImprovement(0.5, 0.04, 0.3), within(1e-12));
    }
}
