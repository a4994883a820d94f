package dev.tellus.analysis;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class DownsamplingTest {

    @Test
    void everyImprovementAndBothExtremesAreKept() {
        var random = new SplittableRandom(7);
        double[] losses = new double[50_000];
        for (int i = 0; i < losses.length; i++) {
            // A slowly improving search with failures (NaN) mixed in.
            losses[i] = i % 97 == 0 ? Double.NaN : random.nextDouble() * 100 / Math.log(i + 2.0);
        }
        int[] kept = Downsampling.history(losses, 2000);

        assertThat(kept.length).isEqualTo(2000);
        assertThat(kept).isSorted();
        var keptSet = new java.util.HashSet<Integer>();
        for (int k : kept) {
            keptSet.add(k);
            assertThat(losses[k]).isNotNaN();
        }
        double best = Double.POSITIVE_INFINITY;
        int max = -1;
        for (int i = 0; i < losses.length; i++) {
            if (Double.isNaN(losses[i])) {
                continue;
            }
            if (losses[i] < best) {
                best = losses[i];
                assertThat(keptSet).as("improvement at %d", i).contains(i);
            }
            if (max < 0 || losses[i] > losses[max]) {
                max = i;
            }
        }
        assertThat(keptSet).contains(max);
        // The best-so-far line drawn from the kept points alone matches the true one at every kept point.
        double trueBest = Double.POSITIVE_INFINITY;
        double drawnBest = Double.POSITIVE_INFINITY;
        int next = 0;
        for (int i = 0; i < losses.length; i++) {
            if (!Double.isNaN(losses[i])) {
                trueBest = Math.min(trueBest, losses[i]);
            }
            if (next < kept.length && kept[next] == i) {
                drawnBest = Math.min(drawnBest, losses[i]);
                assertThat(drawnBest).isEqualTo(trueBest);
                next++;
            }
        }
    }

    @Test
    void improvementsPastTheBudgetAreStillKept() {
        double[] decreasing = new double[500];
        Arrays.setAll(decreasing, i -> 1000.0 - i);
        assertThat(Downsampling.history(decreasing, 100)).hasSize(500);
    }

    @Test
    void shortSeriesAreKeptWhole() {
        double[] losses = {3, 1, Double.NaN, 2, 5};
        assertThat(Downsampling.history(losses, 100)).containsExactly(0, 1, 3, 4);
    }

    @Test
    void bestAndSampleKeepsTheBestFirst() {
        double[] losses = new double[10_000];
        Arrays.setAll(losses, i -> (i * 7919) % 10_000);
        int[] kept = Downsampling.bestAndSample(losses, 100, 1000);
        assertThat(kept).hasSize(1000);
        long bestKept = Arrays.stream(kept).filter(i -> losses[i] < 100).count();
        assertThat(bestKept).isEqualTo(100);
        // The sample spreads over the whole series, not just its start.
        assertThat(Arrays.stream(kept).max().getAsInt()).isGreaterThan(9_000);
    }

    @Test
    void evenlySpacedIncludesBothEnds() {
        assertThat(Downsampling.evenly(5, 10)).containsExactly(0, 1, 2, 3, 4);
        int[] kept = Downsampling.evenly(1001, 11);
        assertThat(kept).containsExactly(0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000);
    }

    @Test
    void paretoFrontOfTwoAndThreeLosses() {
        double[][] two = {{1, 5}, {2, 2}, {5, 1}, {3, 3}, {2, 2}, {6, 6}};
        assertThat(ParetoRanks.front(two)).containsExactly(true, true, true, false, true, false);
        double[][] three = {{1, 1, 1}, {0, 2, 2}, {2, 2, 2}, {1, 1, 2}};
        assertThat(ParetoRanks.front(three)).containsExactly(true, true, false, false);
    }
}
