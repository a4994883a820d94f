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
