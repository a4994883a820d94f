package dev.tellus.strategy.gp;

import dev.tellus.history.Observation;
import dev.tellus.history.TrialStatus;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.AskContext;
import dev.tellus.strategy.Proposal;
import dev.tellus.strategy.ProposalBatch;
import dev.tellus.strategy.Strategy;
import dev.tellus.strategy.StrategyOptions;
import dev.tellus.strategy.StrategyState;
import dev.tellus.strategy.gp.GaussianProcess.Hyperparameters;
import dev.tellus.strategy.random.RandomSearch;
import dev.tellus.strategy.support.Normal;
import dev.tellus.strategy.support.ModelledTrials;
import dev.tellus.strategy.support.Pareto;
import dev.tellus.strategy.support.RankedTrial;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Gaussian-process Bayesian optimisation: a process with a Matérn-5/2 ARD kernel plus an additive Matérn part on
 * the trials' features (see {@link FeatureEncoding} and {@link GaussianProcess}), fitted to log-warped, standardised
 * losses (see {@link #logWarp}) with hyperparameters that maximise the regularised marginal likelihood; the next
 * trial maximises log expected improvement, searched first over random points, points near the best trials and the
 * best trials moved along one axis, then by a local coordinate search from the most promising ones.
 *
 * <p>Running trials (and earlier members of the same batch) are handled by the kriging believer: they are added
 * to the model with the posterior mean as their value, which removes the uncertainty around them so that parallel
 * workers do not all chase the same point.
 *
 * <p>Cost stays bounded as studies grow: the state keeps the last fitted hyperparameters, and each ask starts the
 * fit from them with a small iteration budget. Past {@value #FIT_POINTS} trials the hyperparameters are fitted on
 * a subset (the best half plus evenly spaced others), and past {@value #MAX_POINTS} trials the model is
 * conditioned on the best half plus the most recent others. If anything numerical fails, the trial is drawn at
 * random instead: a proposal is never NaN. So is a trial when the objective has been constant so far (the model
 * has nothing to say) or when the acquisition's best point repeats a trial exactly.
 *
 * <p>Options: {@code startupTrials} (random trials before modelling, default 10), {@code rawSamples} (random points
 * in the global acquisition search, default 512), {@code warp} (the log warp of losses, default true; models of two or
 * three objectives are never warped, see {@link #proposeByOutputs}). Trials are
 * ranked by {@link RankedTrial}'s rule; pruned and non-finite results are modelled at the worst completed loss.
 *
 * <p>Several objectives, option {@code multiObjective}: {@code ehvi} (the default with two objectives) models each
 * objective and each constraint with its own process and maximises log expected hypervolume improvement over the
 * feasible front ({@link ParetoBoxes}), against the study's reference point when it declares one (else a point just
 * beyond the worst trials), plus the log probability that every constraint holds; one objective with
 * constraints does the same with log EI below the best feasible trial. {@code parego} (the default with three or
 * more objectives, and the only choice past three) models one augmented Chebyshev scalarisation of the normalised
 * objectives with weights drawn afresh per ask (ParEGO, as Vizier's GP bandit), so successive asks aim at different
 * parts of the front; with constraints the scalarised loss and each constraint get their own process and the
 * acquisition is log EI below the best feasible scalarised loss plus the log probability that every constraint holds,
 * as on the EHVI path. The choice by number of objectives is measured in docs/multi-objective.md.
 */
public final class GaussianProcessSearch implements Strategy {

    public static final Set<String> OPTIONS = Set.of("startupTrials", "rawSamples", "warp", "multiObjective");
    static final int FORMAT = 2;
    /** The state of the per-output path: one set of hyperparameters per objective and constraint. */
    static final int OUTPUTS_FORMAT = 3;
    private static final long SCALARISATION_STREAM = 0x5851F42D4C957F2DL;
    static final int FIT_POINTS = 100;
    static final int MAX_POINTS = 400;
    static final int COLD_FIT_ITERATIONS = 100;
    static final int WARM_FIT_ITERATIONS = 20;
    private static final int LOCAL_STARTS = 3;
    private static final int LOCAL_EVALUATIONS = 120;
    private static final int NEAR_BEST = 5;
    private static final int PERTURBATIONS = 24;

    private final SearchSpace space;
    private final FeatureEncoding encoding;
    private final int startupTrials;
    private final int rawSamples;
    private final boolean warp;
    /** The {@code multiObjective} option: "ehvi", "parego", or null for the default by number of objectives. */
    private final String multiObjective;

    public GaussianProcessSearch(SearchSpace space, Map<String, Object> options) {
        var opts = new StrategyOptions(options, OPTIONS);
        this.startupTrials = opts.integer("startupTrials", 0, 10_000, 10);
        this.rawSamples = opts.integer("rawSamples", 1, 100_000, 512);
        this.warp = opts.bool("warp", true);
        this.multiObjective = options.containsKey("multiObjective")
                ? opts.word("multiObjective", List.of("ehvi", "parego"), "ehvi") : null;
        opts.check();
        this.space = space;
        this.encoding = new FeatureEncoding(space);
    }

    /** The number of features the model sees for a space: one per numeric parameter, one per categorical choice. */
    public static int featureCount(SearchSpace space) {
        return new FeatureEncoding(space).size();
    }

    @Override
    public ProposalBatch propose(AskContext context) {
        int objectives = context.directions().size();
        // Default: log EHVI with two objectives (and log EI times the feasibility probability with one objective and
        // constraints), ParEGO with three or more: on the 3-objective DTLZ2 ParEGO led (docs/multi-objective.md).
        boolean hypervolume = multiObjective == null ? objectives <= 2 : multiObjective.equals("ehvi");
        AskContext modelled = ModelledTrials.capped(context, ModelledTrials.CAP);
        if (hypervolume && (objectives >= 2 && objectives <= 3 || objectives == 1 && constrained(context))) {
            return proposeByOutputs(context, RankedTrial.bestFirst(modelled),
                    o -> RankedTrial.losses(o, context.directions()), objectives);
        }
        // Several objectives: one random scalarisation per ask (ParEGO), from a stream of its own so the draws of
        // the proposals are the same as with one objective.
        var weights = new SplittableRandom(context.randomFor(context.firstNumber()).nextLong() ^ SCALARISATION_STREAM);
        if (objectives >= 2 && constrained(context)) {
            // ParEGO with constraints: the scalarised loss is one output, each constraint another, and the
            // acquisition is log EI below the best feasible scalarised loss plus log P(every constraint holds).
            var scalar = RankedTrial.scalarisation(modelled, weights);
            return proposeByOutputs(context, RankedTrial.rankedBy(modelled, scalar), o -> {
                        double v = scalar.applyAsDouble(o);
                        return Double.isFinite(v) ? new double[] {v} : null;
                    }, 1);
        }
        var points = new ArrayList<double[]>();
        var losses = new ArrayList<Double>();
        var tiers = new ArrayList<Integer>();
        var numbers = new ArrayList<Long>();
        var positions = new ArrayList<double[]>();
        for (RankedTrial t : RankedTrial.scalarised(modelled, weights)) {
            double[] x = encoding.features(t.observation().params());
            if (x != null) {
                points.add(x);
                losses.add(t.loss());
                tiers.add(t.tier());
                numbers.add(t.observation().number());
                if (positions.size() < NEAR_BEST) {
                    positions.add(encoding.position(t.observation().params()));
                }
            }
        }
        var proposals = new ArrayList<Proposal>(context.count());
        Hyperparameters saved = decode(context.state());
        if (points.size() < Math.max(2, startupTrials)) {
            for (int i = 0; i < context.count(); i++) {
                long number = context.firstNumber() + i;
                proposals.add(new Proposal(RandomSearch.sample(space, context.randomFor(number)), Map.of()));
            }
            return new ProposalBatch(proposals, saved == null ? StrategyState.EMPTY : encode(saved), false);
        }

        int[] chosen = select(points.size(), numbers, MAX_POINTS);
        double[][] x = new double[chosen.length][];
        double[] y = standardise(losses, tiers, chosen, warp);
        for (int i = 0; i < chosen.length; i++) {
            x[i] = points.get(chosen[i]);
        }
        Hyperparameters h = fit(x, y, saved);

        List<double[]> pending = pendingFeatures(context);
        boolean constant = Arrays.stream(y).allMatch(v -> v == y[0]);
        double[][] bestPositions = positions.toArray(double[][]::new);
        for (int i = 0; i < context.count(); i++) {
            long number = context.firstNumber() + i;
            SplittableRandom random = context.randomFor(number);
            Map<String, Object> params = proposal(constant ? null : () -> {
                double[] best = {Arrays.stream(y).min().orElse(0)};
                GaussianProcess model = believer(x, y, h, pending, best);
                return new Acquisition(model, best[0]);
            }, bestPositions, x, pending, random);
            proposals.add(new Proposal(params, Map.of()));
        }
        return new ProposalBatch(proposals, encode(h), false);
    }

    /**
     * One process per objective and per constraint, the next trial maximising log expected hypervolume improvement
     * over the feasible front (log EI below the best feasible loss with one objective) plus the log probability that
     * every constraint holds. {@code ranked} orders the trials best first (which the cap and the near-best starts
     * use) and {@code objectives} gives a trial's m losses: the objectives themselves (two or three), or with
     * ParEGO and constraints the one scalarised loss of this ask.
     */
    private ProposalBatch proposeByOutputs(AskContext context, List<RankedTrial> ranked,
                                           java.util.function.Function<Observation, double[]> objectives, int m) {
        int c = -1;
        var trials = new ArrayList<RankedTrial>();
        var losses = new ArrayList<double[]>();
        var constraintValues = new ArrayList<double[]>();
        for (RankedTrial t : ranked) {
            double[] f = objectives.apply(t.observation());
            double[] g = t.observation().constraints();
            if (t.observation().status() != TrialStatus.COMPLETED || f == null
                    || encoding.features(t.observation().params()) == null) {
                continue;
            }
            int count = g == null ? 0 : g.length;
            if (c < 0) {
                c = count;
            }
            if (count != c || (g != null && !Arrays.stream(g).allMatch(Double::isFinite))) {
                continue;
            }
            trials.add(t);
            losses.add(f);
            constraintValues.add(g);
        }
        c = Math.max(c, 0);
        List<Hyperparameters> saved = decodeOutputs(context.state(), m + c);
        var proposals = new ArrayList<Proposal>(context.count());
        if (trials.size() < Math.max(2, startupTrials)) {
            for (int i = 0; i < context.count(); i++) {
                long number = context.firstNumber() + i;
                proposals.add(new Proposal(RandomSearch.sample(space, context.randomFor(number)), Map.of()));
            }
            return new ProposalBatch(proposals, saved == null ? StrategyState.EMPTY : encodeOutputs(saved), false);
        }
        var numbers = new ArrayList<Long>();
        for (RankedTrial t : trials) {
            numbers.add(t.observation().number());
        }
        int[] chosen = select(trials.size(), numbers, MAX_POINTS);
        int n = chosen.length;
        double[][] x = new double[n][];
        boolean[] feasible = new boolean[n];
        for (int i = 0; i < n; i++) {
            x[i] = encoding.features(trials.get(chosen[i]).observation().params());
            feasible[i] = Pareto.violation(constraintValues.get(chosen[i])) <= 0;
        }
        int outputs = m + c;
        double[][] y = new double[outputs][];
        // Per objective, when the study gives a reference point: the standardisation's scale, mean and sd.
        double[][] affine = new double[m][];
        double[] threshold = new double[c];
        boolean constant = true;
        for (int k = 0; k < outputs; k++) {
            var column = new ArrayList<Double>(trials.size());
            for (int i = 0; i < trials.size(); i++) {
                column.add(k < m ? losses.get(i)[k] : constraintValues.get(i)[k - m]);
            }
            if (k < m) {
                // Two or three objectives are not log-warped: the hypervolume EHVI improves is then the study's own
                // up to one factor per axis (standardising is affine), while a warp would reshape it and spend
                // trials where the warp stretches the front. One output (EI): warped as for one objective.
                boolean warped = warp && m == 1;
                if (!warped && context.reference() != null && m == context.directions().size()
                        && Double.isFinite(context.reference()[k])) {
                    affine[k] = new double[3];
                }
                y[k] = standardise(column, java.util.Collections.nCopies(column.size(), 0), chosen, warped, affine[k]);
            } else {
                // Constraints keep their scale (no warp): the threshold 0 moves with the standardisation.
                double[] t = new double[1];
                y[k] = standardiseAround(column, chosen, t);
                threshold[k - m] = t[0];
            }
            final double[] yk = y[k];
            constant &= Arrays.stream(yk).allMatch(v -> v == yk[0]);
        }
        var fitted = new ArrayList<Hyperparameters>(outputs);
        for (int k = 0; k < outputs; k++) {
            fitted.add(fit(x, y[k], saved == null ? null : saved.get(k)));
        }
        double[] reference = new double[m];
        for (int k = 0; k < m; k++) {
            double lo = Arrays.stream(y[k]).min().orElse(0);
            double hi = Arrays.stream(y[k]).max().orElse(0);
            reference[k] = hi + Math.max(0.1 * (hi - lo), 1e-6);
            if (affine[k] != null) {
                // The study's reference point, where given: the region the user scores, as BoTorch's ref_point.
                reference[k] = (context.reference()[k] / affine[k][0] - affine[k][1]) / affine[k][2];
            }
        }
        var front = new ArrayList<double[]>();
        for (int i = 0; i < n; i++) {
            if (feasible[i]) {
                double[] v = new double[m];
                for (int k = 0; k < m; k++) {
                    v[k] = y[k][i];
                }
                front.add(v);
            }
        }
        List<double[]> pending = pendingFeatures(context);
        var near = new ArrayList<double[]>();
        for (int i = 0; i < trials.size() && near.size() < NEAR_BEST; i++) {
            near.add(encoding.position(trials.get(i).observation().params()));
        }
        double[][] nearPositions = near.toArray(double[][]::new);
        for (int i = 0; i < context.count(); i++) {
            long number = context.firstNumber() + i;
            SplittableRandom random = context.randomFor(number);
            Map<String, Object> params = proposal(constant ? null : () -> {
                var models = new GaussianProcess[outputs];
                double[][] believed = new double[outputs][];
                for (int k = 0; k < outputs; k++) {
                    believed[k] = new double[pending.size()];
                    models[k] = believe(x, y[k], fitted.get(k), pending, believed[k]);
                }
                // Running trials count as done at the values the models believe, so the improvement there is gone.
                var believedFront = new ArrayList<>(front);
                for (int p = 0; p < pending.size(); p++) {
                    boolean ok = true;
                    for (int k = m; k < outputs; k++) {
                        ok &= believed[k][p] <= threshold[k - m];
                    }
                    if (ok) {
                        double[] v = new double[m];
                        for (int k = 0; k < m; k++) {
                            v[k] = believed[k][p];
                        }
                        believedFront.add(v);
                    }
                }
                ParetoBoxes boxes = believedFront.isEmpty() ? null : new ParetoBoxes(believedFront, reference);
                return new HypervolumeAcquisition(models, m, boxes, threshold);
            }, nearPositions, x, pending, random);
            proposals.add(new Proposal(params, Map.of()));
        }
        return new ProposalBatch(proposals, encodeOutputs(fitted), false);
    }

    /** Whether the study declares constraints: its completed trials carry constraint values. */
    private static boolean constrained(AskContext context) {
        for (Observation o : context.history().finished()) {
            if (o.status() == TrialStatus.COMPLETED) {
                return o.constraints() != null && o.constraints().length > 0;
            }
        }
        return false;
    }

    /** Standardises raw values (mean 0, sd 1 over the chosen ones); threshold[0] gets where 0 lands. */
    static double[] standardiseAround(List<Double> values, int[] chosen, double[] threshold) {
        double[] y = new double[chosen.length];
        double mean = 0;
        for (int i = 0; i < chosen.length; i++) {
            y[i] = values.get(chosen[i]);
            mean += y[i];
        }
        mean /= y.length;
        double var = 0;
        for (double v : y) {
            var += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(var / y.length);
        if (!(sd > 1e-12 * Math.max(1, Math.abs(mean)))) {
            sd = Math.max(1, Math.abs(mean));
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (y[i] - mean) / sd;
        }
        threshold[0] = -mean / sd;
        return y;
    }

    /** The model conditioned on the trials and on the running points at their believed values (written to believed). */
    private static GaussianProcess believe(double[][] x, double[] y, Hyperparameters h, List<double[]> pending,
                                           double[] believed) {
        GaussianProcess model = GaussianProcess.condition(x, y, h);
        if (pending.isEmpty()) {
            return model;
        }
        double[][] ax = Arrays.copyOf(x, x.length + pending.size());
        double[] ay = Arrays.copyOf(y, y.length + pending.size());
        double[] work = new double[x.length];
        double[] out = new double[2];
        for (int i = 0; i < pending.size(); i++) {
            model.predict(pending.get(i), work, out);
            ax[x.length + i] = pending.get(i);
            ay[x.length + i] = out[0];
            believed[i] = out[0];
        }
        return GaussianProcess.condition(ax, ay, h, x.length);
    }

    /** log EHVI (when there is a feasible front) plus Σ log P(constraint ≤ 0), evaluated where a position leads. */
    private final class HypervolumeAcquisition implements Score {
        private final GaussianProcess[] models;
        private final int m;
        private final ParetoBoxes boxes;
        private final double[] threshold;
        private final double[] work;
        private final double[] boxWork;
        private final double[] out = new double[2];
        private final double[] mean;
        private final double[] sd;

        HypervolumeAcquisition(GaussianProcess[] models, int m, ParetoBoxes boxes, double[] threshold) {
            this.models = models;
            this.m = m;
            this.boxes = boxes;
            this.threshold = threshold;
            this.work = new double[models[0].size()];
            this.boxWork = boxes == null ? new double[0] : new double[boxes.workSize()];
            this.mean = new double[m];
            this.sd = new double[m];
        }

        @Override
        public double at(double[] u) {
            double[] f = encoding.features(encoding.params(u));
            double score = 0;
            for (int k = m; k < models.length; k++) {
                models[k].predict(f, work, out);
                score += ParetoBoxes.logCdf((threshold[k - m] - out[0]) / Math.sqrt(out[1]));
            }
            if (boxes != null) {
                for (int k = 0; k < m; k++) {
                    models[k].predict(f, work, out);
                    mean[k] = out[0];
                    sd[k] = Math.sqrt(out[1]);
                }
                score += boxes.logExpectedImprovement(mean, sd, boxWork);
            }
            return Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score;
        }
    }

    /** The indices of the trials the model uses: all, or past the cap the best half and the most recent rest. */
    private static int[] select(int n, List<Long> numbers, int cap) {
        if (n <= cap) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int bestCount = cap / 2;
        Integer[] rest = new Integer[n - bestCount];
        for (int i = bestCount; i < n; i++) {
            rest[i - bestCount] = i;
        }
        Arrays.sort(rest, Comparator.comparingLong((Integer i) -> numbers.get(i)).reversed());
        int[] out = new int[cap];
        for (int i = 0; i < bestCount; i++) {
            out[i] = i;
        }
        for (int i = bestCount; i < cap; i++) {
            out[i] = rest[i - bestCount];
        }
        return out;
    }

    /**
     * Losses turned into standardised targets. Pruned and non-finite results are ranked as bad: they get the worst
     * completed loss (or their own value if it is worse). Scaling by the largest magnitude first keeps huge and tiny
     * objective scales alike finite; a constant objective becomes all zeros.
     */
    static double[] standardise(List<Double> losses, List<Integer> tiers, int[] chosen, boolean warp) {
        return standardise(losses, tiers, chosen, warp, null);
    }

    /** As above; without the warp, {@code affine} (if given) gets the scale, mean and sd: y = (v / scale − mean) / sd. */
    static double[] standardise(List<Double> losses, List<Integer> tiers, int[] chosen, boolean warp, double[] affine) {
        double worst = Double.NEGATIVE_INFINITY;
        double scale = 0;
        for (int i = 0; i < losses.size(); i++) {
            double v = losses.get(i);
            if (tiers.get(i) == 0) {
                worst = Math.max(worst, v);
            }
            if (Double.isFinite(v)) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        if (scale == 0 || !Double.isFinite(scale)) {
            scale = 1;
        }
        double[] y = new double[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            double v = losses.get(chosen[i]);
            if (tiers.get(chosen[i]) > 0) {
                v = Double.isFinite(worst) ? (Double.isFinite(v) ? Math.max(v, worst) : worst) : (Double.isFinite(v) ? v : scale);
            }
            y[i] = v / scale;
        }
        if (warp) {
            logWarp(y);
        }
        double mean = Arrays.stream(y).average().orElse(0);
        double var = 0;
        for (double v : y) {
            var += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(var / y.length);
        if (!(sd > 1e-12)) {
            sd = 1;
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (y[i] - mean) / sd;
        }
        if (affine != null && !warp) {
            affine[0] = scale;
            affine[1] = mean;
            affine[2] = sd;
        }
        return y;
    }

    /**
     * A monotone log warp, y -> log(1 + (y - min) / typical), where typical is the median distance above the
     * minimum. Heavy-tailed objectives (Rosenbrock spans five orders of magnitude) would otherwise make the model
     * spend its variance on the worst trials; the warp keeps the ranking and the detail near the best.
     */
    static void logWarp(double[] y) {
        double min = Arrays.stream(y).min().orElse(0);
        double[] above = Arrays.stream(y).map(v -> v - min).sorted().toArray();
        double typical = above[above.length / 2];
        if (!(typical > 0)) {
            typical = Arrays.stream(above).max().orElse(0);
        }
        if (!(typical > 0)) {
            return;
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.log1p((y[i] - min) / typical);
        }
    }

    private static Hyperparameters fit(double[][] x, double[] y, Hyperparameters saved) {
        double[][] fx = x;
        double[] fy = y;
        if (x.length > FIT_POINTS) {
            // The best half (x is best first) and evenly spaced others, so the fit sees the whole landscape.
            int half = FIT_POINTS / 2;
            fx = new double[FIT_POINTS][];
            fy = new double[FIT_POINTS];
            for (int i = 0; i < FIT_POINTS; i++) {
                int at = i < half ? i : half + (int) ((long) (i - half) * (x.length - half) / (FIT_POINTS - half));
                fx[i] = x[at];
                fy[i] = y[at];
            }
        }
        var fit = new HyperparameterFit(fx, fy);
        if (saved != null && saved.logLengthscales().length == x[0].length) {
            return fit.maximise(saved, WARM_FIT_ITERATIONS);
        }
        return fit.maximise(fit.initial(), COLD_FIT_ITERATIONS);
    }

    /** The features of the running (and enqueued) trials. */
    private List<double[]> pendingFeatures(AskContext context) {
        var pending = new ArrayList<double[]>();
        for (Observation o : context.history().pending()) {
            double[] f = encoding.features(o.params());
            if (f != null) {
                pending.add(f);
            }
        }
        return pending;
    }

    /**
     * One proposal: the best point of the acquisition that {@code score} builds, or a random one when there is nothing
     * to learn ({@code score} null: a constant objective), a numerical failure, or a point already tried. The
     * proposal then counts as pending for the rest of the batch.
     */
    private Map<String, Object> proposal(java.util.function.Supplier<Score> score, double[][] near, double[][] x,
                                         List<double[]> pending, SplittableRandom random) {
        Map<String, Object> params = null;
        if (score != null) {
            try {
                params = encoding.params(maximiseAcquisition(score.get(), near, random));
                if (repeats(encoding.features(params), x, pending)) {
                    params = null;
                }
            } catch (ArithmeticException e) {
                params = null;
            }
        }
        if (params == null) {
            params = RandomSearch.sample(space, random);
        }
        double[] f = encoding.features(params);
        if (f != null) {
            pending.add(f);
        }
        return params;
    }

    private static boolean repeats(double[] f, double[][] x, List<double[]> pending) {
        for (double[] other : x) {
            if (Arrays.equals(f, other)) {
                return true;
            }
        }
        for (double[] other : pending) {
            if (Arrays.equals(f, other)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The model conditioned on the trials and on the pending points at the value it currently believes there (the
     * kriging believer). A believed value below the best counts as the best, so that the improvement expected at a
     * running trial is gone, not only its uncertainty.
     */
    private static GaussianProcess believer(double[][] x, double[] y, Hyperparameters h, List<double[]> pending,
                                            double[] best) {
        double[] believed = new double[pending.size()];
        GaussianProcess model = believe(x, y, h, pending, believed);
        for (double value : believed) {
            best[0] = Math.min(best[0], value);
        }
        return model;
    }

    /** What the search maximises: a score of a position in the unit cube (larger is better). */
    interface Score {
        double at(double[] u);
    }

    /** Global (random and near-best points) then local (coordinate search) maximisation of a score. */
    private double[] maximiseAcquisition(Score acquisition, double[][] near, SplittableRandom random) {
        int p = encoding.positions();
        int total = rawSamples + near.length * PERTURBATIONS;
        double[][] candidates = new double[total][];
        double[] scores = new double[total];
        for (int i = 0; i < total; i++) {
            double[] u = new double[p];
            if (i < rawSamples) {
                for (int j = 0; j < p; j++) {
                    u[j] = random.nextDouble();
                }
            } else {
                int k = i - rawSamples;
                double[] centre = near[k / PERTURBATIONS];
                if (k % 3 == 2) {
                    // The best point with one coordinate anywhere: reaches other basins along single axes.
                    System.arraycopy(centre, 0, u, 0, p);
                    u[random.nextInt(p)] = random.nextDouble();
                } else {
                    double sd = (k % 3 == 0) ? 0.02 : 0.1;
                    for (int j = 0; j < p; j++) {
                        u[j] = encoding.isCategorical(j) && random.nextDouble() < 0.8
                                ? centre[j] : clampUnit(centre[j] + sd * random.nextGaussian());
                    }
                }
            }
            candidates[i] = u;
            scores[i] = acquisition.at(u);
        }
        Integer[] order = new Integer[total];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        double[] bestU = candidates[order[0]];
        double bestScore = scores[order[0]];
        for (int s = 0; s < Math.min(LOCAL_STARTS, total); s++) {
            double[] u = candidates[order[s]].clone();
            double score = localSearch(acquisition, u, scores[order[s]]);
            if (score > bestScore) {
                bestScore = score;
                bestU = u;
            }
        }
        return bestU;
    }

    /** Coordinate pattern search: try a step either way on each coordinate, halve the step when nothing improves. */
    private double localSearch(Score acquisition, double[] u, double score) {
        int evaluations = 0;
        double step = 0.05;
        boolean triedChoices = false;
        while (step > 1e-4 && evaluations < LOCAL_EVALUATIONS) {
            boolean improved = false;
            for (int j = 0; j < u.length; j++) {
                if (encoding.isCategorical(j)) {
                    if (triedChoices) {
                        continue;
                    }
                    double keep = u[j];
                    for (double c = 0.05; c < 1; c += 0.1) {
                        u[j] = c;
                        double s = acquisition.at(u);
                        evaluations++;
                        if (s > score) {
                            score = s;
                            keep = c;
                            improved = true;
                        }
                    }
                    u[j] = keep;
                    continue;
                }
                for (double sign : new double[] {1, -1}) {
                    double keep = u[j];
                    u[j] = clampUnit(keep + sign * step);
                    double s = acquisition.at(u);
                    evaluations++;
                    if (s > score) {
                        score = s;
                        improved = true;
                        break;
                    }
                    u[j] = keep;
                }
            }
            triedChoices = true;
            if (!improved) {
                step /= 2;
            }
        }
        return score;
    }

    private static double clampUnit(double v) {
        return Math.min(1, Math.max(0, v));
    }

    /** Log expected improvement below the best standardised loss, evaluated where a position leads. */
    private final class Acquisition implements Score {
        private final GaussianProcess model;
        private final double best;
        private final double[] work;
        private final double[] out = new double[2];

        Acquisition(GaussianProcess model, double best) {
            this.model = model;
            this.best = best;
            this.work = new double[model.size()];
        }

        @Override
        public double at(double[] u) {
            double[] f = encoding.features(encoding.params(u));
            model.predict(f, work, out);
            double v = logExpectedImprovement(out[0], out[1], best);
            return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
        }
    }

    /**
     * log E[max(best - Y, 0)] for Y ~ N(mean, variance), accurate far into the tail where EI itself underflows
     * (there the asymptotic series of the normal tail is used), so the search always has a slope to follow.
     */
    static double logExpectedImprovement(double mean, double variance, double best) {
        double sd = Math.sqrt(variance);
        double z = (best - mean) / sd;
        double logH;
        if (z > -6) {
            logH = Math.log(Math.max(z * Normal.cdf(z) + Normal.pdf(z), Double.MIN_NORMAL));
        } else {
            double z2 = z * z;
            logH = -0.5 * z2 - 0.5 * Math.log(2 * Math.PI) - Math.log(z2) + Math.log1p(-3 / z2 + 15 / (z2 * z2));
        }
        return Math.log(sd) + logH;
    }

    private static StrategyState encode(Hyperparameters h) {
        var doc = new HashMap<String, Object>();
        var ls = new ArrayList<Object>();
        for (double v : h.logLengthscales()) {
            ls.add(v);
        }
        doc.put("logLengthscales", ls);
        doc.put("logSignal", h.logSignal());
        doc.put("logAdditive", h.logAdditive());
        doc.put("logNoise", h.logNoise());
        return new StrategyState(FORMAT, doc);
    }

    private static StrategyState encodeOutputs(List<Hyperparameters> all) {
        var list = new ArrayList<Object>();
        for (Hyperparameters h : all) {
            list.add(encode(h).document());
        }
        return new StrategyState(OUTPUTS_FORMAT, Map.of("outputs", list));
    }

    /** The per-output hyperparameters saved at the last ask, or null when there are none, or not this many. */
    static List<Hyperparameters> decodeOutputs(StrategyState state, int count) {
        if (state == null || state.format() != OUTPUTS_FORMAT
                || !(state.document().get("outputs") instanceof List<?> list) || list.size() != count) {
            return null;
        }
        var out = new ArrayList<Hyperparameters>();
        for (Object raw : list) {
            if (!(raw instanceof Map<?, ?> doc)) {
                return null;
            }
            @SuppressWarnings("unchecked")
            Hyperparameters h = decode(new StrategyState(FORMAT, (Map<String, Object>) doc));
            if (h == null) {
                return null;
            }
            out.add(h);
        }
        return out;
    }

    /** The hyperparameters saved at the last ask, or null when there are none or they cannot be read. */
    static Hyperparameters decode(StrategyState state) {
        if (state == null || state.format() != FORMAT) {
            return null;
        }
        Map<String, Object> doc = state.document();
        if (!(doc.get("logLengthscales") instanceof List<?> list) || !(doc.get("logSignal") instanceof Number s)
                || !(doc.get("logAdditive") instanceof Number additive) || !(doc.get("logNoise") instanceof Number noise)) {
            return null;
        }
        double[] ls = new double[list.size()];
        for (int i = 0; i < ls.length; i++) {
            if (!(list.get(i) instanceof Number v) || !Double.isFinite(v.doubleValue())) {
                return null;
            }
            ls[i] = v.doubleValue();
        }
        if (!Double.isFinite(s.doubleValue()) || !Double.isFinite(additive.doubleValue()) || !Double.isFinite(noise.doubleValue())) {
            return null;
        }
        return new Hyperparameters(ls, s.doubleValue(), additive.doubleValue(), noise.doubleValue());
    }
}
