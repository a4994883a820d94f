package dev.tellus.strategy;

/** Tail probabilities and quantiles of the standard normal distribution, to about seven digits. */
final class NormalQuantile {

    private NormalQuantile() {
    }

    /** P(Z > z) for a standard normal Z (Numerical Recipes' Chebyshev fit of erfc, relative error below 1.2e-7). */
    static double upperTail(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.5 * x);
        double erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return z >= 0 ? erfc / 2 : 1 - erfc / 2;
    }

    /** The z with P(Z > z) = p, for p in (0, 1), by bisection. */
    static double upper(double p) {
        double lo = -40;
        double hi = 40;
        for (int i = 0; i < 200 && hi - lo > 1e-12; i++) {
            double mid = (lo + hi) / 2;
            if (upperTail(mid) > p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }
}
