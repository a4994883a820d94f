package dev.tellus.strategy.support;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ParetoTest {

    private static final double EXACT = 1e-12;

    // A(1,5) B(2,3) C(4,1) are mutually non-dominated; D(3,4) is dominated by B only; E(5,5) by everything.
    private static final double[][] POINTS = {{1, 5}, {2, 3}, {4, 1}, {3, 4}, {5, 5}};

    @Test
    void nonDominatedSortingFindsTheHandWorkedFronts() {
        assertThat(Pareto.fronts(POINTS, null)).containsExactly(List.of(0, 1, 2), List.of(3), List.of(4));
    }

    @Test
    void crowdingGivesTheExtremesInfinityAndTheMiddleItsNormalisedGaps() {
        double[] d = Pareto.crowding(POINTS, List.of(0, 1, 2));
        assertThat(d[0]).isInfinite();
        assertThat(d[2]).isInfinite();
        // B: (4 - 1) / (4 - 1) along f1, plus (5 - 1) / (5 - 1) along f2.
        assertThat(d[1]).isCloseTo(2.0, within(EXACT));
    }

    @Test
    void constrainedDominationPutsFeasibleFirstThenLessViolation() {
        double[] good = {0, 0};
        double[] bad = {9, 9};
        assertThat(Pareto.constrainedDominates(bad, 0, good, 0.1)).isTrue();
        assertThat(Pareto.constrainedDominates(good, 0.1, bad, 0)).isFalse();
        assertThat(Pareto.constrainedDominates(bad, 0.2, good, 0.5)).isTrue();
        assertThat(Pareto.constrainedDominates(good, 0, bad, 0)).isTrue();
        assertThat(Pareto.violation(new double[] {-1, 0.5, 2})).isEqualTo(2.5);
        assertThat(Pareto.violation(null)).isZero();
        // The infeasible points form the last fronts, ordered by violation.
        assertThat(Pareto.fronts(new double[][] {{1, 1}, {5, 5}, {0, 0}}, new double[] {0, 0, 3}))
                .containsExactly(List.of(0), List.of(1), List.of(2));
    }

    @Test
    void twoDimensionalHypervolumeMatchesTheHandWorkedArea() {
        // Slabs from the left: A 5 x 1, B 4 x 2, C 2 x 2 = 17; D and E add nothing; (7, 0) lies outside.
        var points = new ArrayList<>(List.of(POINTS));
        points.add(new double[] {7, 0});
        assertThat(Pareto.hypervolume(points, new double[] {6, 6})).isCloseTo(17.0, within(EXACT));
        assertThat(Pareto.hypervolume(List.of(), new double[] {6, 6})).isZero();
    }

    @Test
    void threeDimensionalHypervolumeMatchesKnownValues() {
        assertThat(Pareto.hypervolume(List.of(new double[] {0, 0, 0}), new double[] {1, 1, 1})).isCloseTo(1.0, within(EXACT));
        // Three boxes of 0.25, pairwise overlaps of 0.125, a common 0.125: 0.75 - 0.375 + 0.125.
        var three = List.of(new double[] {0, 0.5, 0.5}, new double[] {0.5, 0, 0.5}, new double[] {0.5, 0.5, 0});
        assertThat(Pareto.hypervolume(three, new double[] {1, 1, 1})).isCloseTo(0.5, within(EXACT));
    }

    @Test
    void hypervolumeAgreesWithInclusionExclusionOnRandomSets() {
        var random = new SplittableRandom(7);
        for (int dims = 2; dims <= 4; dims++) {
            for (int round = 0; round < 20; round++) {
                var points = new ArrayList<double[]>();
                int n = 1 + random.nextInt(7);
                for (int i = 0; i < n; i++) {
                    double[] p = new double[dims];
                    for (int k = 0; k < dims; k++) {
                        p[k] = random.nextInt(5) / 4.0;
                    }
                    points.add(p);
                }
                double[] reference = new double[dims];
                java.util.Arrays.fill(reference, 1.1);
                assertThat(Pareto.hypervolume(points, reference)).isCloseTo(inclusionExclusion(points, reference), within(1e-9));
            }
        }
    }

    private static double inclusionExclusion(List<double[]> points, double[] reference) {
        double total = 0;
        int n = points.size();
        for (int mask = 1; mask < (1 << n); mask++) {
            double[] corner = new double[reference.length];
            for (int i = 0; i < n; i++) {
                if ((mask & (1 << i)) != 0) {
                    for (int k = 0; k < corner.length; k++) {
                        corner[k] = Math.max(corner[k], points.get(i)[k]);
                    }
                }
            }
            double box = 1;
            for (int k = 0; k < corner.length; k++) {
                box *= Math.max(0, reference[k] - corner[k]);
            }
            total += Integer.bitCount(mask) % 2 == 1 ? box : -box;
        }
        return total;
    }
}
