package dev.tellus.strategy.gp;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * A Gaussian-process regression model with a Matérn-5/2 kernel with one lengthscale per feature (ARD) plus an
 * additive Matérn part (see {@link Hyperparameters}) and a noise variance, conditioned on points in the unit cube and standardised targets.
 *
 * <p>The Cholesky factorisation and triangular solves come from EJML: a small, dependency-free, well-tested
 * dense linear-algebra library on Maven Central whose row-major {@code double[]} matrices we can also read
 * directly in the hot loops, which keeps the per-candidate cost of the acquisition low.
 */
final class GaussianProcess {

    private static final double SQRT5 = Math.sqrt(5);
    /** Added to the diagonal, growing tenfold per failed factorisation, until K is numerically positive definite. */
    static final double JITTER = 1e-8;
    private static final int MAX_JITTER_TRIES = 8;

    /**
     * Kernel hyperparameters, all on a log scale: one lengthscale per feature, the variance of the joint Matérn
     * part, the variance of the additive part (a sum of one-dimensional Matérn kernels with the same lengthscales,
     * which lets the model carry what it learnt along one axis to points far away in the others), and the noise.
     */
    record Hyperparameters(double[] logLengthscales, double logSignal, double logAdditive, double logNoise) {

        int size() {
            return logLengthscales.length + 3;
        }

        double[] toArray() {
            int d = logLengthscales.length;
            double[] t = new double[d + 3];
            System.arraycopy(logLengthscales, 0, t, 0, d);
            t[d] = logSignal;
            t[d + 1] = logAdditive;
            t[d + 2] = logNoise;
            return t;
        }

        static Hyperparameters of(double[] t) {
            int d = t.length - 3;
            return new Hyperparameters(java.util.Arrays.copyOf(t, d), t[d], t[d + 1], t[d + 2]);
        }
    }

    private final double[][] x;
    private final double[] invLengthscale;
    private final double signal;
    private final double additivePerFeature;
    private final int n;
    private final double[] lower;   // the Cholesky factor of K + noise, row-major n x n
    private final double[] alpha;   // (K + noise)^-1 y

    private GaussianProcess(double[][] x, double[] invLengthscale, double signal, double additivePerFeature,
                            double[] lower, double[] alpha) {
        this.x = x;
        this.invLengthscale = invLengthscale;
        this.signal = signal;
        this.additivePerFeature = additivePerFeature;
        this.n = x.length;
        this.lower = lower;
        this.alpha = alpha;
    }

    /** Conditions the process on the points; throws {@link ArithmeticException} if K cannot be factorised. */
    static GaussianProcess condition(double[][] x, double[] y, Hyperparameters h) {
        return condition(x, y, h, x.length);
    }

    /**
     * Conditions on observed points (the first {@code observed}) and believed ones after them; believed values are
     * taken as exact (no noise), so the model is sure of them and sees nothing left to gain right there.
     */
    static GaussianProcess condition(double[][] x, double[] y, Hyperparameters h, int observed) {
        double[] inv = inverseLengthscales(h);
        double signal = Math.exp(h.logSignal());
        double additive = additivePerFeature(h);
        DMatrixRMaj k = covariance(x, inv, signal, additive, Math.exp(h.logNoise()));
        for (int i = observed; i < x.length; i++) {
            k.unsafe_set(i, i, signal + additive * inv.length);
        }
        double[] lower = factor(k, x.length);
        double[] alpha = y.clone();
        TriangularSolver_DDRM.solveL(lower, alpha, x.length);
        TriangularSolver_DDRM.solveTranL(lower, alpha, x.length);
        return new GaussianProcess(x, inv, signal, additive, lower, alpha);
    }

    static double additivePerFeature(Hyperparameters h) {
        return Math.exp(h.logAdditive()) / Math.max(1, h.logLengthscales().length);
    }

    /** The kernel: the joint Matérn part plus the additive one. */
    static double kernel(double[] a, double[] b, double[] inv, double signal, double additivePerFeature) {
        double s = 0;
        double add = 0;
        for (int d = 0; d < a.length; d++) {
            double t = (a[d] - b[d]) * inv[d];
            s += t * t;
            add += matern(Math.abs(t));
        }
        return signal * matern(Math.sqrt(s)) + additivePerFeature * add;
    }

    static double[] inverseLengthscales(Hyperparameters h) {
        double[] inv = new double[h.logLengthscales().length];
        for (int d = 0; d < inv.length; d++) {
            inv[d] = Math.exp(-h.logLengthscales()[d]);
        }
        return inv;
    }

    static double matern(double r) {
        return (1 + SQRT5 * r + 5.0 / 3 * r * r) * Math.exp(-SQRT5 * r);
    }

    static DMatrixRMaj covariance(double[][] x, double[] inv, double signal, double additivePerFeature, double noise) {
        int n = x.length;
        var k = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            k.unsafe_set(i, i, signal + additivePerFeature * inv.length + noise);
            for (int j = 0; j < i; j++) {
                double v = kernel(x[i], x[j], inv, signal, additivePerFeature);
                k.unsafe_set(i, j, v);
                k.unsafe_set(j, i, v);
            }
        }
        return k;
    }

    /** The lower Cholesky factor, adding growing jitter to the diagonal when the matrix is not quite positive definite. */
    static double[] factor(DMatrixRMaj k, int n) {
        double jitter = 0;
        for (int attempt = 0; attempt < MAX_JITTER_TRIES; attempt++) {
            DMatrixRMaj a = k.copy();
            if (jitter > 0) {
                for (int i = 0; i < n; i++) {
                    a.unsafe_set(i, i, a.unsafe_get(i, i) + jitter);
                }
            }
            CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
            if (chol.decompose(a)) {
                double[] l = chol.getT(null).data;
                boolean finite = true;
                for (int i = 0; i < n && finite; i++) {
                    finite = Double.isFinite(l[i * n + i]) && l[i * n + i] > 0;
                }
                if (finite) {
                    return l;
                }
            }
            jitter = jitter == 0 ? JITTER * Math.max(1, k.unsafe_get(0, 0)) : jitter * 10;
        }
        throw new ArithmeticException("covariance matrix is not positive definite even with jitter");
    }

    /** Posterior mean and variance at a point, written to out[0] and out[1]; work must have length n. */
    void predict(double[] point, double[] work, double[] out) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
            work[i] = kernel(point, x[i], invLengthscale, signal, additivePerFeature);
            mean += work[i] * alpha[i];
        }
        TriangularSolver_DDRM.solveL(lower, work, n);
        double explained = 0;
        for (int i = 0; i < n; i++) {
            explained += work[i] * work[i];
        }
        out[0] = mean;
        double prior = signal + additivePerFeature * invLengthscale.length;
        out[1] = Math.max(prior - explained, 1e-12 * prior);
    }

    int size() {
        return n;
    }
}
