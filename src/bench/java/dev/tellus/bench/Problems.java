package dev.tellus.bench;

import dev.tellus.space.CategoricalParameter;
import dev.tellus.space.Condition;
import dev.tellus.space.FloatParameter;
import dev.tellus.space.IntParameter;
import dev.tellus.space.Parameter;
import dev.tellus.space.SearchSpace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The named problems of the quality benchmark. Definitions follow the usual literature (Surjanovic and Bingham's library). */
public final class Problems {

    private Problems() {
    }

    public static Map<String, Problem> all() {
        var out = new LinkedHashMap<String, Problem>();
        for (Problem p : List.of(branin(), hartmann6(), rosenbrock(5), rastrigin(5), styblinskiTang(5), ackley(5), mixed())) {
            out.put(p.name(), p);
        }
        return out;
    }

    /**
     * The evolutionary suite ({@code --suite evo}): Rosenbrock, Rastrigin, Ackley and an ill-conditioned Ellipsoid
     * in 10 dimensions with a budget of 300 trials, then the 5-dimensional problems at 100.
     */
    public static Map<String, Problem> evo() {
        var out = new LinkedHashMap<String, Problem>();
        for (Problem p : List.of(rosenbrock(10), rastrigin(10), ackley(10), ellipsoid(10),
                rosenbrock(5), rastrigin(5), ackley(5), styblinskiTang(5), ellipsoid(5))) {
            out.put(p.name(), p);
        }
        return out;
    }

    /**
     * The categorical suite ({@code --suite categorical}): spaces whose one-hot width is far above their parameter
     * count, which decide the rule of the {@code auto} strategy.
     */
    public static Map<String, Problem> categorical() {
        var out = new LinkedHashMap<String, Problem>();
        for (Problem p : List.of(choices(2, 2, 10), choices(2, 4, 10), choices(2, 8, 6))) {
            out.put(p.name(), p);
        }
        return out;
    }

    /**
     * The rotated suite ({@code --suite rotated}): the problems of {@link #all()} under a fixed random rotation of
     * the unit cube with the optimum moved off the centre (see {@link #rotated}), so no sum over parameters helps.
     * Identical to {@code rotated_problems()} in bench/optuna_compare.py.
     */
    public static Map<String, Problem> rotated() {
        var out = new LinkedHashMap<String, Problem>();
        Problem[] plain = {branin(), hartmann6(), rosenbrock(5), rastrigin(5), styblinskiTang(5), ackley(5)};
        double st = -2.903534018185960;
        double[][] at = {{Math.PI, 2.275}, {0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573},
                {1, 1, 1, 1, 1}, new double[5], {st, st, st, st, st}, new double[5]};
        for (int k = 0; k < plain.length; k++) {
            Problem p = rotated(plain[k], at[k], 1001 + k);
            out.put(p.name(), p);
        }
        return out;
    }

    /** The conditional suite ({@code --suite conditional}): {@link #mixed()} and {@link #families()}. */
    public static Map<String, Problem> conditional() {
        var out = new LinkedHashMap<String, Problem>();
        for (Problem p : List.of(mixed(), families())) {
            out.put(p.name(), p);
        }
        return out;
    }

    /** A named suite: {@code default} ({@link #all()}), {@code evo}, {@code categorical}, {@code rotated} or {@code conditional}. */
    public static Map<String, Problem> suite(String name) {
        return switch (name) {
            case "default" -> all();
            case "evo" -> evo();
            case "categorical" -> categorical();
            case "rotated" -> rotated();
            case "conditional" -> conditional();
            default -> throw new IllegalArgumentException("unknown suite " + name
                    + "; known: default, evo, categorical, rotated, conditional");
        };
    }

    /**
     * A problem on [lo, hi]^d (or any box) seen through a rotation: on the unit cube u, the objective is
     * f(lo + (hi - lo)·(u* + Q(u - c))) with Q a fixed random orthogonal matrix and c an off-centre point (each
     * coordinate 0.15–0.35 away from 0.5), where u* is the unit image of a known minimiser {@code at}. The optimum
     * value is f's, reached at u = c; the functions of the suite have no lower value outside their usual box.
     */
    static Problem rotated(Problem plain, double[] at, long seed) {
        int d = at.length;
        double[][] q = new double[d][d];
        double[] c = new double[d];
        rotation(d, seed, q, c);
        double[] low = new double[d];
        double[] width = new double[d];
        double[] ustar = new double[d];
        for (int i = 0; i < d; i++) {
            FloatParameter p = (FloatParameter) plain.space().parameters().get(i);
            low[i] = p.low();
            width[i] = p.high() - p.low();
            ustar[i] = (at[i] - low[i]) / width[i];
        }
        return new Problem("rot-" + plain.name(), box(d, 0, 1), params -> {
            double[] u = vector(params, d);
            var x = new LinkedHashMap<String, Object>();
            for (int i = 0; i < d; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += q[i][j] * (u[j] - c[j]);
                }
                x.put("x" + i, low[i] + width[i] * (ustar[i] + s));
            }
            return plain.evaluate(x);
        }, plain.optimum(), plain.defaultBudget());
    }

    /**
     * Fills q (row i, column j) with an orthogonal matrix, modified Gram-Schmidt on Gaussian columns drawn from
     * SplitMix64(seed) by Box-Muller, and c with the off-centre point; the same draws, in the same order, as
     * {@code rotation()} in bench/optuna_compare.py.
     */
    static void rotation(int d, long seed, double[][] q, double[] c) {
        long[] state = {seed};
        double[][] cols = new double[d][d];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) {
                cols[j][i] = gaussian(state);
            }
        }
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += cols[j][i] * cols[k][i];
                }
                for (int i = 0; i < d; i++) {
                    cols[j][i] -= dot * cols[k][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < d; i++) {
                norm += cols[j][i] * cols[j][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < d; i++) {
                cols[j][i] /= norm;
            }
        }
        for (int i = 0; i < d; i++) {
            double offset = 0.15 + 0.2 * nextDouble(state);
            c[i] = nextDouble(state) < 0.5 ? 0.5 + offset : 0.5 - offset;
            for (int j = 0; j < d; j++) {
                q[i][j] = cols[j][i];
            }
        }
    }

    private static long nextLong(long[] state) {
        long z = state[0] += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double nextDouble(long[] state) {
        return (nextLong(state) >>> 11) * 0x1.0p-53;
    }

    private static double gaussian(long[] state) {
        double u1 = nextDouble(state);
        double u2 = nextDouble(state);
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /**
     * {@code floats} floats in [0, 1] scored by (x - 0.3)^2 each, and {@code categoricals} choices among {@code k}
     * scored by a fixed table in [0, 1] with one zero per categorical (the same table for every seed). Optimum 0.
     */
    public static Problem choices(int floats, int categoricals, int k) {
        var ps = new ArrayList<Parameter>();
        for (int i = 0; i < floats; i++) {
            ps.add(new FloatParameter("x" + i, 0, 1, false, null, Condition.ALWAYS));
        }
        var names = new ArrayList<Object>();
        for (int c = 0; c < k; c++) {
            names.add("c" + c);
        }
        double[][] table = new double[categoricals][k];
        var random = new java.util.SplittableRandom(4242);
        for (int i = 0; i < categoricals; i++) {
            ps.add(new CategoricalParameter("k" + i, names, Condition.ALWAYS));
            int zero = random.nextInt(k);
            for (int c = 0; c < k; c++) {
                table[i][c] = c == zero ? 0 : 0.1 + 0.9 * random.nextDouble();
            }
        }
        String name = "choices-" + floats + "f" + categoricals + "x" + k;
        return new Problem(name, SearchSpace.of(ps.toArray(Parameter[]::new)), p -> {
            double s = 0;
            for (int i = 0; i < floats; i++) {
                s += Math.pow(((Number) p.get("x" + i)).doubleValue() - 0.3, 2);
            }
            for (int i = 0; i < categoricals; i++) {
                s += table[i][Integer.parseInt(((String) p.get("k" + i)).substring(1))];
            }
            return s;
        }, 0, 100);
    }

    static SearchSpace box(int d, double low, double high) {
        Parameter[] ps = new Parameter[d];
        for (int i = 0; i < d; i++) {
            ps[i] = new FloatParameter("x" + i, low, high, false, null, Condition.ALWAYS);
        }
        return SearchSpace.of(ps);
    }

    static double[] vector(Map<String, Object> params, int d) {
        double[] x = new double[d];
        for (int i = 0; i < d; i++) {
            x[i] = ((Number) params.get("x" + i)).doubleValue();
        }
        return x;
    }

    static Problem continuous(String name, int d, double low, double high, ToDoubleFunction<double[]> f, double optimum, int budget) {
        return new Problem(name, box(d, low, high), p -> f.applyAsDouble(vector(p, d)), optimum, budget);
    }

    public static Problem branin() {
        var space = SearchSpace.of(
                new FloatParameter("x0", -5, 10, false, null, Condition.ALWAYS),
                new FloatParameter("x1", 0, 15, false, null, Condition.ALWAYS));
        return new Problem("branin-2d", space, p -> {
            double x = ((Number) p.get("x0")).doubleValue();
            double y = ((Number) p.get("x1")).doubleValue();
            double b = 5.1 / (4 * Math.PI * Math.PI);
            double c = 5 / Math.PI;
            double t = 1 / (8 * Math.PI);
            return Math.pow(y - b * x * x + c * x - 6, 2) + 10 * (1 - t) * Math.cos(x) + 10;
        }, 0.397887357729738, 100);
    }

    public static Problem hartmann6() {
        double[] alpha = {1.0, 1.2, 3.0, 3.2};
        double[][] a = {
                {10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14},
                {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
        double[][] p = {
                {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886}, {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
                {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650}, {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};
        return continuous("hartmann-6d", 6, 0, 1, x -> {
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                double inner = 0;
                for (int j = 0; j < 6; j++) {
                    inner += a[i][j] * Math.pow(x[j] - p[i][j], 2);
                }
                sum += alpha[i] * Math.exp(-inner);
            }
            return -sum;
        }, -3.32236801141551, 100);
    }

    public static Problem rosenbrock(int d) {
        return continuous("rosenbrock-" + d + "d", d, -5, 10, x -> {
            double s = 0;
            for (int i = 0; i < x.length - 1; i++) {
                s += 100 * Math.pow(x[i + 1] - x[i] * x[i], 2) + Math.pow(1 - x[i], 2);
            }
            return s;
        }, 0, d <= 5 ? 100 : 300);
    }

    public static Problem rastrigin(int d) {
        return continuous("rastrigin-" + d + "d", d, -5.12, 5.12, x -> {
            double s = 10 * x.length;
            for (double v : x) {
                s += v * v - 10 * Math.cos(2 * Math.PI * v);
            }
            return s;
        }, 0, d <= 5 ? 100 : 300);
    }

    public static Problem styblinskiTang(int d) {
        return continuous("styblinski-tang-" + d + "d", d, -5, 5, x -> {
            double s = 0;
            for (double v : x) {
                s += Math.pow(v, 4) - 16 * v * v + 5 * v;
            }
            return s / 2;
        }, -39.16616570377142 * d, d <= 5 ? 100 : 300);
    }

    public static Problem ackley(int d) {
        return continuous("ackley-" + d + "d", d, -32.768, 32.768, x -> {
            double sq = 0;
            double cos = 0;
            for (double v : x) {
                sq += v * v;
                cos += Math.cos(2 * Math.PI * v);
            }
            return -20 * Math.exp(-0.2 * Math.sqrt(sq / x.length)) - Math.exp(cos / x.length) + 20 + Math.E;
        }, 0, d <= 5 ? 100 : 300);
    }

    /**
     * The ill-conditioned Ellipsoid: axis i weighted by 10^(6 i / (d - 1)) (condition number 1e6), on [-5, 5]
     * with the optimum moved off the centre to x_i = 1, so starting in the middle of the box is no head start.
     */
    public static Problem ellipsoid(int d) {
        return continuous("ellipsoid-" + d + "d", d, -5, 5, x -> {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                s += Math.pow(10, 6.0 * i / (x.length - 1)) * (x[i] - 1) * (x[i] - 1);
            }
            return s;
        }, 0, d <= 5 ? 100 : 300);
    }

    /**
     * A mixed space like a real training run: log learning rate, integer depth, an optimiser choice and a
     * momentum that exists only for SGD. Optimum 0 at lr=1e-3, layers=5, optimizer=sgd, momentum=0.9.
     */
    public static Problem mixed() {
        var space = SearchSpace.of(
                new FloatParameter("lr", 1e-5, 1.0, true, null, Condition.ALWAYS),
                new IntParameter("layers", 1, 8, false, 1, Condition.ALWAYS),
                new CategoricalParameter("optimizer", List.of("adam", "sgd", "rmsprop"), Condition.ALWAYS),
                new FloatParameter("momentum", 0.0, 1.0, false, null, new Condition(Map.of("optimizer", List.of("sgd")))));
        return new Problem("mixed-4d", space, p -> {
            double lr = ((Number) p.get("lr")).doubleValue();
            long layers = ((Number) p.get("layers")).longValue();
            double base = Math.pow(Math.log10(lr) + 3, 2) + 0.1 * Math.pow(layers - 5, 2);
            return base + switch ((String) p.get("optimizer")) {
                case "sgd" -> 4 * Math.pow(((Number) p.get("momentum")).doubleValue() - 0.9, 2);
                case "adam" -> 0.5;
                default -> 1.0;
            };
        }, 0, 100);
    }

    /**
     * Two model families behind a categorical, each with its own parameters, at different optimum levels.
     * {@code svm} (C, gamma on log scales): a tilted valley in (log C, log gamma) reaching 0, above 0.5 on most of
     * its space; {@code forest} (integer depth, features): a broad bowl whose floor is 0.1 and which beats most svm
     * settings. A strategy that stops giving {@code svm} a fair share after its first poor draws ends at 0.1.
     * Identical to {@code families_loss} in bench/optuna_compare.py. Optimum 0 at svm, C = 10^1.2, gamma = 10^-2.25.
     */
    public static Problem families() {
        var svm = new Condition(Map.of("family", List.of("svm")));
        var forest = new Condition(Map.of("family", List.of("forest")));
        var space = SearchSpace.of(
                new CategoricalParameter("family", List.of("svm", "forest"), Condition.ALWAYS),
                new FloatParameter("C", 1e-3, 1e3, true, null, svm),
                new FloatParameter("gamma", 1e-4, 10, true, null, svm),
                new IntParameter("depth", 1, 16, false, 1, forest),
                new FloatParameter("features", 0.05, 1.0, false, null, forest));
        return new Problem("families-5d", space, p -> {
            if (p.get("family").equals("svm")) {
                double a = (Math.log10(((Number) p.get("C")).doubleValue()) + 3) / 6 - 0.7;
                double b = (Math.log10(((Number) p.get("gamma")).doubleValue()) + 4) / 5 - 0.35;
                double q = (a + b) * (a + b) + 0.25 * (a - b) * (a - b);
                return 1 - Math.exp(-q / 0.1);
            }
            double depth = (((Number) p.get("depth")).doubleValue() - 10) / 15;
            double features = ((Number) p.get("features")).doubleValue() - 0.4;
            return 0.1 + 0.2 * depth * depth + 0.2 * features * features;
        }, 0, 100);
    }
}
