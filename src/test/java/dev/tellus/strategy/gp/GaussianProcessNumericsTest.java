package dev.tellus.strategy.gp;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GaussianProcessNumericsTest {

    /** Central differences on the log scale agree with the analytic gradient to this relative error. */
    static final double GRADIENT_TOLERANCE = 1e-4;

    @Test
    void theMarginalLikelihoodGradientMatchesFiniteDifferences() {
        var random = new SplittableRandom(5);
        double[][] x = new double[15][3];
        double[] y = new double[15];
        for (int i = 0; i < x.length; i++) {
            for (int d = 0; d < 3; d++) {
                x[i][d] = random.nextDouble();
            }
            y[i] = Math.sin(6 * x[i][0]) + x[i][1] * x[i][2] + 0.1 * random.nextGaussian();
        }
        var fit = new HyperparameterFit(x, y);
        double[] t = {Math.log(0.3), Math.log(0.7), Math.log(1.5), Math.log(0.8), Math.log(0.2), Math.log(0.01)};
        double[] grad = new double[t.length];
        fit.objective(t, grad);
        double h = 1e-5;
        for (int k = 0; k < t.length; k++) {
            double[] up = t.clone();
            double[] down = t.clone();
            up[k] += h;
            down[k] -= h;
            double numeric = (fit.objective(up, new double[t.length]) - fit.objective(down, new double[t.length])) / (2 * h);
            assertThat(grad[k]).as("d/dθ%d", k).isCloseTo(numeric, within(GRADIENT_TOLERANCE * Math.max(1, Math.abs(numeric))));
        }
    }

    @Test
    void logExpectedImprovementStaysFiniteAndOrderedFarIntoTheTail() {
        double previous = Double.POSITIVE_INFINITY;
        for (double mean = 0; mean <= 40; mean += 2) {
            double v = GaussianProcessSearch.logExpectedImprovement(mean, 0.25, 0);
            assertThat(v).as("mean %s", mean).isFinite().isLessThan(previous);
            previous = v;
        }
    }

    @Test
    void aMatrixThatIsOnlyNumericallySingularIsFactorisedWithJitter() {
        // Twenty copies of the same point: K is rank one without noise.
        double[][] x = new double[20][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {0.3, 0.6};
        }
        var k = GaussianProcess.covariance(x, new double[] {2, 2}, 1, 0, 0);
        double[] lower = GaussianProcess.factor(k, x.length);
        for (double v : lower) {
            assertThat(v).isFinite();
        }
    }
}
