package dev.tellus.strategy.tpe;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ParzenEstimatorTest {

    /**
     * The density laid out by dimension, with far-off terms left out of the sum, against the mixture written out
     * term by term (truncated Gaussians on [0, 1], the categorical kernel, the prior component) at many points.
     */
    @Test
    void theLogDensityIsTheMixtureWrittenOut() {
        var random = new SplittableRandom(11);
        int n = 400;
        int[] choices = {0, 3, 0};
        double[][] points = new double[n][3];
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            points[i] = new double[]{random.nextDouble(), random.nextInt(3), Math.pow(random.nextDouble(), 3)};
            weights[i] = 0.1 + random.nextDouble();
        }
        double priorWeight = 1.0;
        var estimator = new ParzenEstimator(choices, points, weights, priorWeight, 0.7);
        for (int t = 0; t < 200; t++) {
            double[] x = estimator.sample(random);
            assertThat(estimator.logPdf(x)).isCloseTo(naive(estimator, choices, points, weights, priorWeight, x),
                    within(1e-9));
        }
    }

    /**
     * The marginal along a numeric dimension (coordinate moves) is the mixture of the same components' kernels on
     * that dimension alone: the joint model's density with the other dimensions integrated out, written out here as
     * a one-dimensional mixture; its draws stay in [0, 1] and follow it (a histogram's mass near the points).
     */
    @Test
    void theMarginalIsTheMixtureAlongOneDimension() {
        var random = new SplittableRandom(5);
        int n = 300;
        int[] choices = {0, 2, 0};
        double[][] points = new double[n][3];
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            points[i] = new double[]{Math.pow(random.nextDouble(), 2), random.nextInt(2), random.nextDouble()};
            weights[i] = 0.2 + random.nextDouble();
        }
        var estimator = new ParzenEstimator(choices, points, weights, 1.0, 1.0, true);
        double total = 1.0;
        for (double w : weights) {
            total += w;
        }
        for (int j : new int[] {0, 2}) {
            for (int t = 0; t < 100; t++) {
                double v = estimator.sampleMarginal(j, random);
                assertThat(v).isBetween(0.0, 1.0);
                double density = 0;
                for (int i = 0; i <= n; i++) {
                    double w = (i < n ? weights[i] : 1.0) / total;
                    double mu = estimator.centre(j, i);
                    double sigma = estimator.width(j, i);
                    double mass = dev.tellus.strategy.support.Normal.cdf((1 - mu) / sigma)
                            - dev.tellus.strategy.support.Normal.cdf(-mu / sigma);
                    double z = (v - mu) / sigma;
                    density += w * Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI) * mass);
                }
                assertThat(estimator.marginalLogPdf(j, v)).isCloseTo(Math.log(density), within(1e-9));
            }
        }
        // Dimension 0's points crowd near 0 (squared uniforms): so do its marginal's draws.
        int low = 0;
        for (int t = 0; t < 2000; t++) {
            if (estimator.sampleMarginal(0, random) < 0.25) {
                low++;
            }
        }
        assertThat(low / 2000.0).as("share of draws below 0.25 (half the points are)").isBetween(0.4, 0.6);
    }

    /** The same mixture summed one component at a time, every term kept. */
    private static double naive(ParzenEstimator estimator, int[] choices, double[][] points, double[] weights,
                                double priorWeight, double[] x) {
        double total = priorWeight;
        for (double w : weights) {
            total += w;
        }
        double density = 0;
        for (int i = 0; i <= points.length; i++) {
            double w = (i < points.length ? weights[i] : priorWeight) / total;
            double p = w;
            for (int j = 0; j < choices.length; j++) {
                if (choices[j] > 0) {
                    int k = choices[j];
                    if (i == points.length) {
                        p *= 1.0 / k;
                    } else {
                        boolean own = points[i][j] == x[j];
                        p *= own ? (priorWeight / k + 1) / (priorWeight + 1) : (priorWeight / k) / (priorWeight + 1);
                    }
                } else {
                    double mu = estimator.centre(j, i);
                    double sigma = estimator.width(j, i);
                    double mass = dev.tellus.strategy.support.Normal.cdf((1 - mu) / sigma)
                            - dev.tellus.strategy.support.Normal.cdf(-mu / sigma);
                    double z = (x[j] - mu) / sigma;
                    p *= Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI) * mass);
                }
            }
            density += p;
        }
        return Math.log(density);
    }
}
