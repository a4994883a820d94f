package dev.tellus.strategy.tpe;

import dev.tellus.strategy.support.Normal;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A weighted mixture of product kernels over a few dimensions: truncated Gaussians on [0, 1] for numeric
 * dimensions (the parameters' unit encoding) and "mostly this choice" distributions for categorical ones, plus
 * one broad prior component so that the density is never zero anywhere. With one dimension it is the classic
 * univariate Parzen estimator; with several it models their joint density (multivariate TPE).
 */
final class ParzenEstimator {

    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final int MAX_REJECTIONS = 64;

    private final int[] choices;           // per dimension: number of choices, or 0 for numeric
    private final int components;
    private final double[] cumulativeWeight;
    private final double[] logWeight;
    // Laid out [dimension][component], so logPdf's inner loops run down contiguous arrays (the JIT vectorises them).
    private final double[][] mu;           // the kernels' centres; the choice index for categoricals
    private final double[][] inverseSigma;      // inverted once the bandwidths are set (see numericBandwidths)
    private final double[] terms;
    private final double[][] logNorm;      // log of sigma * sqrt(2 pi) * (mass of the Gaussian inside [0, 1])
    private final double[] logHit;         // per categorical dimension: log p(the component's own choice)
    private final double[] logMiss;        // per categorical dimension: log p(any other choice)
    private final double priorWeight;

    /**
     * @param choices     per dimension, the number of choices (categorical) or 0 (numeric, unit encoded)
     * @param points      the observations, [observation][dimension]
     * @param weights     one positive weight per observation
     * @param priorWeight the weight of the broad prior component, relative to one observation
     * @param kernelScale multiplies each numeric kernel's width (before the floor and the cap)
     */
    ParzenEstimator(int[] choices, double[][] points, double[] weights, double priorWeight, double kernelScale) {
        this(choices, points, weights, priorWeight, kernelScale, false);
    }

    /**
     * @param innerGaps the other rule for numeric kernel widths (see {@link #innerGapBandwidths}) instead of
     *                  {@link #numericBandwidths}'s
     */
    ParzenEstimator(int[] choices, double[][] points, double[] weights, double priorWeight, double kernelScale,
                    boolean innerGaps) {
        this.choices = choices;
        this.priorWeight = priorWeight;
        int n = points.length;
        int d = choices.length;
        components = n + 1;
        terms = new double[components];
        mu = new double[d][components];
        inverseSigma = new double[d][components];
        logNorm = new double[d][components];
        logWeight = new double[components];
        cumulativeWeight = new double[components];

        double total = priorWeight;
        for (double w : weights) {
            total += w;
        }
        double running = 0;
        for (int i = 0; i < components; i++) {
            double w = i < n ? weights[i] : priorWeight;
            logWeight[i] = Math.log(w / total);
            running += w / total;
            cumulativeWeight[i] = running;
        }
        cumulativeWeight[components - 1] = 1.0;

        logHit = new double[d];
        logMiss = new double[d];
        for (int j = 0; j < d; j++) {
            if (choices[j] > 0) {
                int k = choices[j];
                // Each observation keeps a share of the prior spread evenly, so unseen choices stay possible.
                logHit[j] = Math.log((priorWeight / k + 1) / (priorWeight + 1));
                logMiss[j] = Math.log((priorWeight / k) / (priorWeight + 1));
                for (int i = 0; i < n; i++) {
                    mu[j][i] = points[i][j];
                }
                mu[j][n] = -1; // the prior component: uniform over the choices
            } else if (innerGaps) {
                innerGapBandwidths(j, points, kernelScale);
            } else {
                numericBandwidths(j, points, kernelScale);
            }
        }
    }

    /**
     * Per point and dimension, a kernel as wide as the larger gap to its neighbours along that dimension (the prior
     * mean 0.5 counts as one) times the kernel scale, clipped below by 1/(n+2) capped at 1/100. Joint kernels get the same per-dimension
     * widths: they adapt to where the points are dense, unlike one fixed Scott-rule width for all.
     */
    private void numericBandwidths(int j, double[][] points, double kernelScale) {
        int n = points.length;
        double minSigma = 1.0 / Math.min(100.0, n + 2.0);
        double[] m = mu[j];
        double[] sigma = inverseSigma[j];
        double[] sorted = new double[n + 1];
        for (int i = 0; i < n; i++) {
            sorted[i] = points[i][j];
        }
        sorted[n] = 0.5;
        Arrays.sort(sorted);
        for (int i = 0; i < n; i++) {
            double x = points[i][j];
            int at = Arrays.binarySearch(sorted, x);
            double left = at > 0 ? x - sorted[at - 1] : x;
            double right = at < n ? sorted[at + 1] - x : 1.0 - x;
            m[i] = x;
            sigma[i] = clamp(kernelScale * Math.max(left, right), minSigma, 1.0);
        }
        m[n] = 0.5;
        sigma[n] = 1.0;
        normalise(j, n);
    }

    /**
     * The rule Optuna's TPE uses: per point, the larger gap to its neighbours along the dimension with the range's
     * ends 0 and 1 as the outer neighbours and no prior mean among them, except that the lowest and the highest
     * point take their inner gap (once there are two points); times the kernel scale, clipped as in
     * {@link #numericBandwidths}. A cluster of points next to an unexplored side gets narrow kernels rather than
     * one reaching to the centre.
     */
    private void innerGapBandwidths(int j, double[][] points, double kernelScale) {
        int n = points.length;
        double minSigma = 1.0 / Math.min(100.0, n + 2.0);
        double[] m = mu[j];
        double[] sigma = inverseSigma[j];
        double[] sorted = new double[n + 2];
        for (int i = 0; i < n; i++) {
            sorted[i + 1] = points[i][j];
        }
        sorted[n + 1] = 1.0;
        Arrays.sort(sorted, 1, n + 1);
        for (int i = 0; i < n; i++) {
            double x = points[i][j];
            int at = Arrays.binarySearch(sorted, 1, n + 1, x);
            double width = Math.max(x - sorted[at - 1], sorted[at + 1] - x);
            if (n >= 2 && at == 1) {
                width = sorted[2] - sorted[1];
            } else if (n >= 2 && at == n) {
                width = sorted[n] - sorted[n - 1];
            }
            m[i] = x;
            sigma[i] = clamp(kernelScale * width, minSigma, 1.0);
        }
        m[n] = 0.5;
        sigma[n] = 1.0;
        normalise(j, n);
    }

    /** The edge-truncation normalisers of dimension j's n + 1 kernels, whose widths are then kept inverted. */
    private void normalise(int j, int n) {
        double[] m = mu[j];
        double[] sigma = inverseSigma[j];
        double[] norm = logNorm[j];
        // Many kernels share a width (the floor, once there are more than a few dozen points): their log is kept.
        double lastSd = Double.NaN;
        double lastLogSd = Double.NaN;
        for (int i = 0; i <= n; i++) {
            double centre = m[i];
            double sd = sigma[i];
            // Kernels well inside [0, 1] lose no mass to the edges (and most are narrow): skip the two erfc calls
            // and the log of the mass (log 1 = 0).
            boolean inside = centre - 8 * sd >= 0 && centre + 8 * sd <= 1;
            double logMass = inside ? 0 : logMass(centre, sd);
            if (sd != lastSd) {
                lastSd = sd;
                lastLogSd = Math.log(sd);
            }
            norm[i] = lastLogSd + LOG_SQRT_2PI + logMass;
            sigma[i] = 1 / sd; // kept inverted from here on: logPdf multiplies
        }
    }

    /**
     * Kernels near the edges of discrete parameters repeat (the same centre at the floor width): their truncation
     * masses are remembered per model, by the exact centre and width, in a small direct-mapped table.
     */
    private final double[] massCentre = new double[MASS_SLOTS];
    private final double[] massWidth = new double[MASS_SLOTS];
    private final double[] massLog = new double[MASS_SLOTS];
    private static final int MASS_SLOTS = 64;

    /** The log of the mass of N(centre, sd^2) inside [0, 1]. */
    private double logMass(double centre, double sd) {
        long bits = Double.doubleToRawLongBits(centre) * 0x9E3779B97F4A7C15L ^ Double.doubleToRawLongBits(sd);
        int slot = (int) (bits ^ (bits >>> 29)) & (MASS_SLOTS - 1);
        if (massWidth[slot] == sd && massCentre[slot] == centre) {
            return massLog[slot];
        }
        double log = Math.log(Math.max(Normal.cdf((1 - centre) / sd) - Normal.cdf(-centre / sd), 1e-300));
        massCentre[slot] = centre;
        massWidth[slot] = sd;
        massLog[slot] = log;
        return log;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.min(hi, Math.max(lo, v));
    }

    /** The centre of component i's kernel on numeric dimension j (for tests). */
    double centre(int j, int i) {
        return mu[j][i];
    }

    /** The width (standard deviation) of component i's kernel on numeric dimension j (for tests). */
    double width(int j, int i) {
        return 1 / inverseSigma[j][i];
    }

    /** A draw: pick a component by weight, then each dimension from that component's kernel. */
    double[] sample(RandomGenerator random) {
        int c = component(random);
        int d = choices.length;
        double[] x = new double[d];
        for (int j = 0; j < d; j++) {
            if (choices[j] > 0) {
                x[j] = sampleChoice(c, j, random);
            } else {
                x[j] = sampleTruncated(mu[j][c], 1 / inverseSigma[j][c], random);
            }
        }
        return x;
    }

    private double sampleChoice(int c, int j, RandomGenerator random) {
        int k = choices[j];
        int own = (int) mu[j][c];
        if (own < 0) {
            return random.nextInt(k);
        }
        // P(own) = (w/k + 1)/(w + 1); otherwise uniform over all k (which may land on own again).
        double pUniform = priorWeight / (priorWeight + 1);
        return random.nextDouble() < pUniform ? random.nextInt(k) : own;
    }

    private static double sampleTruncated(double m, double s, RandomGenerator random) {
        for (int i = 0; i < MAX_REJECTIONS; i++) {
            double x = m + s * random.nextGaussian();
            if (x >= 0 && x <= 1) {
                return x;
            }
        }
        return random.nextDouble();
    }

    /**
     * Terms this far below the largest are left out of the sum: each is below e^-40 = 4e-18 of it, so even a
     * thousand of them change the sum (at least 1) by less than its last bit's worth. Skipping their exp calls makes
     * the density of a 1,000-trial model about 15% cheaper (AskCost); no proposal of the quality suite changed.
     */
    private static final double EXP_UNDERFLOW = -40;

    /**
     * The log density at x (numeric dimensions in [0, 1], categoricals as choice indices). Dimension by dimension
     * over all components, each component's log term summed in the same order as one component at a time would.
     */
    double logPdf(double[] x) {
        int d = choices.length;
        System.arraycopy(logWeight, 0, terms, 0, components);
        for (int j = 0; j < d; j++) {
            double[] m = mu[j];
            double xj = x[j];
            if (choices[j] > 0) {
                double uniform = -Math.log(choices[j]);
                double hit = logHit[j];
                double miss = logMiss[j];
                for (int i = 0; i < components; i++) {
                    double own = m[i];
                    terms[i] += own < 0 ? uniform : (own == xj ? hit : miss);
                }
            } else {
                double[] inv = inverseSigma[j];
                double[] norm = logNorm[j];
                for (int i = 0; i < components; i++) {
                    double z = (xj - m[i]) * inv[i];
                    terms[i] += -0.5 * z * z - norm[i];
                }
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < components; i++) {
            max = Math.max(max, terms[i]);
        }
        return logSumOfTerms(max);
    }

    /** log Σ exp(terms[i]) over the components, given their largest term; terms far below it are left out. */
    private double logSumOfTerms(double max) {
        double sum = 0;
        for (int i = 0; i < components; i++) {
            double t = terms[i] - max;
            if (t > EXP_UNDERFLOW) {
                sum += Math.exp(t);
            }
        }
        return max + Math.log(sum);
    }

    /** A draw from the marginal of numeric dimension j: a component by weight, then its kernel on j. */
    double sampleMarginal(int j, RandomGenerator random) {
        int c = component(random);
        return sampleTruncated(mu[j][c], 1 / inverseSigma[j][c], random);
    }

    /** A component drawn by weight. */
    private int component(RandomGenerator random) {
        double u = random.nextDouble();
        int c = Arrays.binarySearch(cumulativeWeight, u);
        return c >= 0 ? c : Math.min(components - 1, -c - 1);
    }

    /**
     * The log density at v of the marginal of numeric dimension j: the same components and weights, each with its
     * kernel on j only (what a one-dimensional estimator from the same points would be, with these widths).
     */
    double marginalLogPdf(int j, double v) {
        double[] m = mu[j];
        double[] inv = inverseSigma[j];
        double[] norm = logNorm[j];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < components; i++) {
            double z = (v - m[i]) * inv[i];
            double t = logWeight[i] - 0.5 * z * z - norm[i];
            terms[i] = t;
            max = Math.max(max, t);
        }
        return logSumOfTerms(max);
    }
}
