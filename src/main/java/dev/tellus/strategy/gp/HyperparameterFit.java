package dev.tellus.strategy.gp;

import dev.tellus.strategy.gp.GaussianProcess.Hyperparameters;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Fits the kernel hyperparameters by maximising the log marginal likelihood plus weak log-normal priors (which
 * keep lengthscales and noise sensible when there are few points), with a box-constrained L-BFGS on the log scale.
 * The priors: lengthscales around 0.5·sqrt(d/2) in the unit cube (longer in more dimensions), joint signal
 * variance around 1 (targets are standardised), additive variance around 0.1, noise variance around 1e-4 but free
 * to grow on rugged objectives and to shrink to 1e-9 on smooth ones. That floor was 1e-6: near the optimum of a
 * smooth objective the model then smoothed over differences below about 1e-3 of the warped, standardised loss,
 * and refinement stalled (Branin, Hartmann6 and Styblinski-Tang regrets 2.7–13x lower with 1e-9, picked on seeds
 * 100–129 and held out on 0–29; see bench/BAYESIAN.md). Jitter in {@link GaussianProcess#factor} keeps the
 * factorisation working when the noise is that small.
 */
final class HyperparameterFit {

    static final double MIN_LOG_LENGTHSCALE = Math.log(0.01);
    static final double MAX_LOG_LENGTHSCALE = Math.log(50);
    static final double MIN_LOG_SIGNAL = Math.log(0.01);
    static final double MAX_LOG_SIGNAL = Math.log(100);
    static final double MIN_LOG_NOISE = Math.log(1e-9);
    static final double MIN_LOG_ADDITIVE = Math.log(1e-4);
    static final double MAX_LOG_NOISE = Math.log(1);
    private static final double LENGTHSCALE_PRIOR_SD = 1.5;
    private static final double SIGNAL_PRIOR_SD = 1.0;
    private static final double NOISE_PRIOR_MEAN = Math.log(1e-4);
    private static final double ADDITIVE_PRIOR_MEAN = Math.log(0.1);
    private static final double ADDITIVE_PRIOR_SD = 2.0;
    private static final double NOISE_PRIOR_SD = 3.0;
    private static final int MEMORY = 6;

    private final double[][] x;
    private final double[] y;
    private final int d;
    private final double lengthscalePriorMean;

    HyperparameterFit(double[][] x, double[] y) {
        this.x = x;
        this.y = y;
        this.d = x.length == 0 ? 0 : x[0].length;
        this.lengthscalePriorMean = Math.log(0.5 * Math.sqrt(Math.max(1, d) / 2.0));
    }

    /** Where a fit starts without a saved state: the priors' centres. */
    Hyperparameters initial() {
        double[] ls = new double[d];
        Arrays.fill(ls, lengthscalePriorMean);
        return new Hyperparameters(ls, 0, ADDITIVE_PRIOR_MEAN, NOISE_PRIOR_MEAN);
    }

    /** Maximises from the start point for at most the given iterations; returns the best point found. */
    Hyperparameters maximise(Hyperparameters start, int maxIterations) {
        double[] t = clampToBox(start.toArray());
        double[] g = new double[t.length];
        double f = objective(t, g);
        if (!Double.isFinite(f)) {
            t = clampToBox(initial().toArray());
            f = objective(t, g);
            if (!Double.isFinite(f)) {
                return Hyperparameters.of(t);
            }
        }
        var steps = new ArrayDeque<double[]>();
        var changes = new ArrayDeque<double[]>();
        for (int iter = 0; iter < maxIterations; iter++) {
            double[] dir = direction(g, steps, changes); // ascent direction
            double slope = dot(dir, g);
            if (!(slope > 0)) {
                dir = g.clone();
                slope = dot(g, g);
                steps.clear();
                changes.clear();
            }
            if (slope < 1e-12) {
                break;
            }
            double step = iter == 0 && steps.isEmpty() ? Math.min(1.0, 1.0 / Math.sqrt(dot(g, g))) : 1.0;
            double[] next = null;
            double[] nextGrad = new double[t.length];
            double nextF = Double.NEGATIVE_INFINITY;
            for (int tries = 0; tries < 20; tries++) {
                double[] cand = t.clone();
                for (int i = 0; i < cand.length; i++) {
                    cand[i] += step * dir[i];
                }
                cand = clampToBox(cand);
                double fc = objective(cand, nextGrad);
                double moved = 0;
                for (int i = 0; i < cand.length; i++) {
                    moved += (cand[i] - t[i]) * g[i];
                }
                if (Double.isFinite(fc) && fc >= f + 1e-4 * moved) {
                    next = cand;
                    nextF = fc;
                    break;
                }
                step *= 0.5;
            }
            if (next == null) {
                break;
            }
            double[] s = new double[t.length];
            double[] yv = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                s[i] = next[i] - t[i];
                yv[i] = g[i] - nextGrad[i]; // gradient change of the function we minimise (-f)
            }
            if (dot(s, yv) > 1e-10) {
                steps.addLast(s);
                changes.addLast(yv);
                if (steps.size() > MEMORY) {
                    steps.removeFirst();
                    changes.removeFirst();
                }
            }
            boolean converged = nextF - f < 1e-7 * (1 + Math.abs(f));
            t = next;
            f = nextF;
            g = nextGrad;
            if (converged) {
                break;
            }
        }
        return Hyperparameters.of(t);
    }

    /** The L-BFGS two-loop recursion applied to the ascent gradient. */
    private static double[] direction(double[] g, ArrayDeque<double[]> steps, ArrayDeque<double[]> changes) {
        double[] q = g.clone();
        int m = steps.size();
        double[][] s = steps.toArray(double[][]::new);
        double[][] yv = changes.toArray(double[][]::new);
        double[] a = new double[m];
        for (int i = m - 1; i >= 0; i--) {
            double rho = 1 / dot(yv[i], s[i]);
            a[i] = rho * dot(s[i], q);
            for (int j = 0; j < q.length; j++) {
                q[j] -= a[i] * yv[i][j];
            }
        }
        if (m > 0) {
            double gamma = dot(s[m - 1], yv[m - 1]) / dot(yv[m - 1], yv[m - 1]);
            for (int j = 0; j < q.length; j++) {
                q[j] *= gamma;
            }
        }
        for (int i = 0; i < m; i++) {
            double rho = 1 / dot(yv[i], s[i]);
            double b = rho * dot(yv[i], q);
            for (int j = 0; j < q.length; j++) {
                q[j] += s[i][j] * (a[i] - b);
            }
        }
        return q;
    }

    private double[] clampToBox(double[] t) {
        for (int i = 0; i < d; i++) {
            t[i] = clamp(t[i], MIN_LOG_LENGTHSCALE, MAX_LOG_LENGTHSCALE);
        }
        t[d] = clamp(t[d], MIN_LOG_SIGNAL, MAX_LOG_SIGNAL);
        t[d + 1] = clamp(t[d + 1], MIN_LOG_ADDITIVE, MAX_LOG_SIGNAL);
        t[d + 2] = clamp(t[d + 2], MIN_LOG_NOISE, MAX_LOG_NOISE);
        return t;
    }

    private static double clamp(double v, double lo, double hi) {
        return Double.isNaN(v) ? (lo + hi) / 2 : Math.min(hi, Math.max(lo, v));
    }

    /** Log marginal likelihood plus log priors at t; writes the gradient. NEGATIVE_INFINITY if K cannot be factorised. */
    double objective(double[] t, double[] grad) {
        int n = y.length;
        Hyperparameters h = Hyperparameters.of(t);
        double[] inv = GaussianProcess.inverseLengthscales(h);
        double signal = Math.exp(h.logSignal());
        double additive = GaussianProcess.additivePerFeature(h);
        double noise = Math.exp(h.logNoise());
        double[] l;
        try {
            l = GaussianProcess.factor(GaussianProcess.covariance(x, inv, signal, additive, noise), n);
        } catch (ArithmeticException e) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] alpha = y.clone();
        TriangularSolver_DDRM.solveL(l, alpha, n);
        double fit = 0;
        for (double v : alpha) {
            fit += v * v;
        }
        TriangularSolver_DDRM.solveTranL(l, alpha, n);
        double logDet = 0;
        for (int i = 0; i < n; i++) {
            logDet += Math.log(l[i * n + i]);
        }
        double value = -0.5 * fit - logDet - 0.5 * n * Math.log(2 * Math.PI);

        // K^-1 from the inverted factor: K^-1 = L^-T L^-1.
        TriangularSolver_DDRM.invertLower(l, n);
        var linv = DMatrixRMaj.wrap(n, n, l);
        var kinv = new DMatrixRMaj(n, n);
        org.ejml.dense.row.CommonOps_DDRM.multTransA(linv, linv, kinv);
        double[] ki = kinv.data;

        Arrays.fill(grad, 0);
        double sqrt5 = Math.sqrt(5);
        double traceW = 0;
        double[] tk = new double[d];
        for (int i = 0; i < n; i++) {
            double wii = alpha[i] * alpha[i] - ki[i * n + i];
            traceW += wii;
            grad[d] += 0.5 * wii * signal;
            grad[d + 1] += 0.5 * wii * additive * d;
            for (int j = 0; j < i; j++) {
                double w = alpha[i] * alpha[j] - ki[i * n + j]; // symmetric: counted twice, halves cancel
                double r2 = 0;
                double addSum = 0;
                for (int k = 0; k < d; k++) {
                    tk[k] = (x[i][k] - x[j][k]) * inv[k];
                    r2 += tk[k] * tk[k];
                }
                double r = Math.sqrt(r2);
                double e = Math.exp(-sqrt5 * r);
                grad[d] += w * signal * (1 + sqrt5 * r + 5.0 / 3 * r2) * e;
                double common = w * signal * 5.0 / 3 * (1 + sqrt5 * r) * e;
                for (int k = 0; k < d; k++) {
                    double a = Math.abs(tk[k]);
                    double ea = Math.exp(-sqrt5 * a);
                    addSum += (1 + sqrt5 * a + 5.0 / 3 * a * a) * ea;
                    grad[k] += common * tk[k] * tk[k] + w * additive * 5.0 / 3 * a * a * (1 + sqrt5 * a) * ea;
                }
                grad[d + 1] += w * additive * addSum;
            }
        }
        grad[d + 2] = 0.5 * noise * traceW;

        for (int k = 0; k < d; k++) {
            double z = (t[k] - lengthscalePriorMean) / LENGTHSCALE_PRIOR_SD;
            value -= 0.5 * z * z;
            grad[k] -= z / LENGTHSCALE_PRIOR_SD;
        }
        double zs = h.logSignal() / SIGNAL_PRIOR_SD;
        value -= 0.5 * zs * zs;
        grad[d] -= zs / SIGNAL_PRIOR_SD;
        double za = (h.logAdditive() - ADDITIVE_PRIOR_MEAN) / ADDITIVE_PRIOR_SD;
        value -= 0.5 * za * za;
        grad[d + 1] -= za / ADDITIVE_PRIOR_SD;
        double zn = (h.logNoise() - NOISE_PRIOR_MEAN) / NOISE_PRIOR_SD;
        value -= 0.5 * zn * zn;
        grad[d + 2] -= zn / NOISE_PRIOR_SD;
        return value;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
