package dev.tellus.strategy.tpe;

import dev.tellus.history.Observation;
import dev.tellus.history.TrialStatus;
import dev.tellus.space.CategoricalParameter;
import dev.tellus.space.Condition;
import dev.tellus.space.Parameter;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.AskContext;
import dev.tellus.strategy.Proposal;
import dev.tellus.strategy.ProposalBatch;
import dev.tellus.strategy.Strategy;
import dev.tellus.strategy.StrategyOptions;
import dev.tellus.strategy.StrategyState;
import dev.tellus.strategy.random.RandomSearch;
import dev.tellus.strategy.support.ModelledTrials;
import dev.tellus.strategy.support.RankedTrial;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011; Watanabe 2023): splits the finished trials into a
 * good and a bad group by a quantile of the loss, models each with a Parzen estimator in the parameters' unit
 * encoding, and proposes the candidate drawn from the good model with the best good-to-bad density ratio.
 *
 * <p>Conditional parameters are modelled only from the trials where they were active, split into good and bad
 * among those trials alone (a branch of the space whose every trial is worse than another branch's still learns
 * where its better trials lie). In multivariate mode the parameters that share a condition are modelled jointly
 * (one kernel per trial over all of them); otherwise each parameter has its own estimator. A categorical that
 * other parameters' conditions name chooses a branch: in a share of the asks ({@code branchShare}, default 0.3) it
 * is drawn uniformly instead, so that a branch that looked poor in its first trials keeps a fair chance (without
 * it, on the benchmark's two-family space the median study never left the worse family's floor; see
 * docs/quality.md). Spaces without conditions are unaffected: same proposals as before either change.
 *
 * <p>Asks while other trials run, one objective: the joint models take Optuna's kernel widths
 * ({@code parallelInnerGaps}, see {@link ParzenEstimator}) and, after the joint pick, one coordinate move
 * ({@code coordinateMoves}, default 1, 0 = off; not made where it lowers the joint model's log ratio by more than
 * {@code moveDrop}, default 8; see {@link #moveAlongMarginals}). With 4 workers, ask 4 and tell 4,
 * Styblinski-Tang went from 29.97 to 15.78 median regret over seeds 0–99 (Optuna 5's TPE 20.83), mean log regret
 * better on 10 of 13 benchmark problems (docs/quality.md). Sequential asks are unchanged by both. Still-running trials join the bad group ("constant liar"; in TPE the lied value
 * only decides the group), so parallel workers are pushed apart; they also count towards the start-up. Leaving
 * them out ({@code constantLiar: false}) won on the benchmark's tuning seeds (100–109, 4 workers) but not on seeds
 * 0–19, and a distance penalty around them, putting them in the good group or next to their nearest finished
 * neighbour, narrower or wider kernels, more candidates or a smaller gamma while trials run did no better (see
 * bench/BAYESIAN.md). It keeps no state: everything it learns from is in the trials.
 *
 * <p>Several objectives (MOTPE, Ozaki et al. 2020/2022): the good group is the first gamma of the trials ranked by
 * non-domination rank under constrained dominance and, within a front, by hypervolume contribution
 * ({@link RankedTrial}); its members are weighted by their hypervolume contribution to the good group's own front
 * (members off that front weigh {@value #PARETO_FLOOR} of the largest) instead of by rank. With three or more
 * objectives every parameter gets its own estimator even in multivariate mode: many points of a 3-D front are
 * corners with poor values of the other variables, and a joint kernel copies those values whole, where per-parameter
 * estimators mix the good values of different trials (DTLZ2, seeds 100–109: 9.06 joint, 9.89 per parameter; two
 * objectives keep the joint model, better on ZDT2 and Binh–Korn; docs/multi-objective.md).
 *
 * <p>Options: {@code gamma} (fraction of trials that are good, at most {@value #MAX_GOOD}), {@code startupTrials}
 * (random trials before modelling), {@code candidates} (draws from the good model per parameter group),
 * {@code multivariate}, {@code constantLiar}, {@code priorWeight} (weight of the broad prior kernel), and two
 * settings that differ by whether other trials are running: the rank weight, an integer exponent p from 0 to 10
 * (the i-th best of g good trials weighs ((g - i) / g)^p, so the good model samples most around the best trials; 0
 * weighs them all alike), {@code sequentialRankWeight} when nothing is running and {@code rankWeight} while trials
 * run; and the kernel scale, a factor on every numeric kernel's width, {@code kernelScale} when nothing is running
 * and {@code parallelKernelScale} while trials run; and the good share, {@code sequentialGamma} when nothing is
 * running (one objective; a study that sets only {@code gamma} gets it there too) and {@code gamma} otherwise.
 * Defaults, chosen on the quality benchmark: multivariate, 32 candidates, prior weight 1, 8 start-up trials, constant
 * liar on; sequential asks gamma 0.2, rank weight 1 and kernels x0.6 (x0.7 with several objectives, unchanged;
 * gamma and kernels picked on seeds 100–299,
 * held out on 0–99: Hartmann6's median regret 0.145 to 0.076, more runs leave its second-best basin, at a cost on
 * Branin; docs/quality.md), asks while trials run gamma 0.25, rank weight 2 and kernels x1 (seeds 100–109). Why they differ: sequentially, narrower kernels around the
 * best trials refine faster; while trials run an ask does not know the results still outstanding, so it leans on
 * the best known trials (rank weight 2) but keeps its kernels wide, since narrower ones there made Branin and
 * Styblinski-Tang worse. Trials are weighted by recency past the newest {@value #RECENT}, and ranked by
 * {@link RankedTrial}'s rule (pruned trials after completed ones, failed ones left out).
 */
public final class TreeParzenEstimator implements Strategy {

    /** The options a study may set, with the checks they get. */
    public static final Set<String> OPTIONS = Set.of("gamma", "startupTrials", "candidates", "multivariate",
            "constantLiar", "priorWeight", "rankWeight", "sequentialRankWeight", "kernelScale", "parallelKernelScale",
            "branchShare", "parallelInnerGaps", "coordinateMoves", "sequentialGamma", "moveDrop");
    /** No more than this many trials are ever "good", however long the study. */
    static final int MAX_GOOD = 25;
    /** Trials older than the newest this many get less weight, fading linearly with age. */
    static final int RECENT = 25;

    record Settings(double gamma, int startupTrials, int candidates, boolean multivariate, boolean constantLiar,
                    double priorWeight, int rankWeight, int sequentialRankWeight, double kernelScale,
                    double parallelKernelScale, double branchShare, boolean parallelInnerGaps, int coordinateMoves,
                    double sequentialGamma, double moveDrop) {
    }

    private final SearchSpace space;
    private final Settings settings;
    private final List<List<Parameter>> groups;
    /** Three or more objectives: one estimator per parameter (see the class comment). */
    private final List<List<Parameter>> manyObjectiveGroups;

    public TreeParzenEstimator(SearchSpace space, Map<String, Object> options) {
        var opts = new StrategyOptions(options, OPTIONS);
        double gamma = opts.number("gamma", 0, 1, 0.25);
        // A study that sets gamma alone gets it in every ask, as before sequentialGamma existed.
        boolean gammaGiven = options != null && options.containsKey("gamma");
        this.settings = new Settings(
                gamma,
                opts.integer("startupTrials", 0, 10_000, 8),
                opts.integer("candidates", 1, 10_000, 32),
                opts.bool("multivariate", true),
                opts.bool("constantLiar", true),
                opts.number("priorWeight", 0, 1000, 1.0),
                opts.integer("rankWeight", 0, 10, 2),
                opts.integer("sequentialRankWeight", 0, 10, 1),
                opts.number("kernelScale", 0, 10, Double.NaN), // unset: see sequentialKernelScale
                opts.number("parallelKernelScale", 0, 10, 1.0),
                opts.number("branchShare", -Double.MIN_VALUE, 1, 0.3),
                opts.bool("parallelInnerGaps", true),
                opts.integer("coordinateMoves", 0, 1000, 1),
                opts.number("sequentialGamma", 0, 1, gammaGiven ? gamma : 0.2),
                opts.number("moveDrop", -Double.MIN_VALUE, Double.MAX_VALUE, MOVE_DROP));
        opts.check();
        this.space = space;
        this.groups = groups(space, settings.multivariate());
        this.manyObjectiveGroups = groups(space, false);
        for (List<List<Parameter>> grouping : List.of(groups, manyObjectiveGroups)) {
            grouping.forEach(group -> encodings.put(group, new IdentityHashMap<>()));
        }
        var gating = new java.util.HashSet<String>();
        for (Parameter p : space.parameters()) {
            gating.addAll(p.when().requirements().keySet());
        }
        this.branching = Set.copyOf(gating);
    }

    /** The categoricals that other parameters' conditions name: they choose a branch of the space. */
    private final Set<String> branching;

    /** Parameters in evaluation order, grouped by their condition (multivariate) or one by one. */
    private static List<List<Parameter>> groups(SearchSpace space, boolean multivariate) {
        var byCondition = new LinkedHashMap<Object, List<Parameter>>();
        for (Parameter p : space.evaluationOrder()) {
            Object key = multivariate ? p.when() : p.name();
            byCondition.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
        }
        return List.copyOf(byCondition.values());
    }

    @Override
    public ProposalBatch propose(AskContext context) {
        List<RankedTrial> ranked = RankedTrial.bestFirst(ModelledTrials.capped(context, ModelledTrials.CAP));
        // Several objectives (MOTPE): a good group of its own size, weighted by hypervolume contribution.
        double[] paretoFactors = context.directions().size() > 1 ? paretoGood(ranked, context) : null;
        var pending = new ArrayList<Observation>(context.history().pending());
        var proposals = new ArrayList<Proposal>(context.count());
        var batch = new BatchCache();
        for (int i = 0; i < context.count(); i++) {
            long number = context.firstNumber() + i;
            SplittableRandom random = context.randomFor(number);
            // The start-up counts trials handed out, running ones too: with W workers it still ends after
            // startupTrials trials rather than W - 1 later, when the first results are already in.
            int handedOut = ranked.size() + pending.size();
            Map<String, Object> params = handedOut < settings.startupTrials() || ranked.isEmpty()
                    ? RandomSearch.sample(space, random)
                    : sample(ranked, pending, random, paretoFactors, context.directions().size(), batch);
            proposals.add(new Proposal(params, Map.of()));
            // Later members of the batch see this one as running.
            pending.add(new Observation(number, TrialStatus.RUNNING, params, null, Map.of()));
        }
        return new ProposalBatch(proposals, StrategyState.EMPTY, false);
    }

    /**
     * What the proposals of one batch share (they see the same finished trials): each trial's encoding per group,
     * and the good model of each unconditional group (it depends on the finished trials and on whether
     * other trials run, not on the pending ones). Reusing them changes no proposal.
     */
    private static final class BatchCache {
        final Map<List<Parameter>, ParzenEstimator[]> below = new IdentityHashMap<>();
    }

    /** Marks a trial whose group is not (or not validly) set, in the encodings. */
    private static final double[] INACTIVE = new double[0];

    /**
     * Each trial's encoding per group, kept across asks and keyed by the observation itself: a replica hands the same
     * finished observations to every ask of a study (FinishedTrials), and re-encoding a thousand of them per ask was
     * a tenth of a parallel ask's CPU. A trial read again (once it finished, say) is a new observation and is
     * encoded again, so the proposals are exactly those without the cache. Cleared when it outgrows the trials a
     * model sees; each group's map is used under its own lock (asks of one study with idempotency keys run beside
     * the batched ones).
     */
    private final Map<List<Parameter>, IdentityHashMap<Observation, double[]>> encodings = new IdentityHashMap<>();

    /** Entries per group before the encodings are cleared (well above the trials one ask models). */
    private static final int ENCODINGS_KEPT = 4 * ModelledTrials.CAP;

    private Map<String, Object> sample(List<RankedTrial> ranked, List<Observation> pending, SplittableRandom random,
                                       double[] paretoFactors, int directions, BatchCache batch) {
        // The good trials are weighted by rank, best first: ((good - i) / good)^p, with p and the kernel widths
        // depending on whether other trials are running (see the class comment).
        boolean sequential = pending.isEmpty();
        double exponent = sequential ? settings.sequentialRankWeight() : settings.rankWeight();
        double kernelScale = sequential ? sequentialKernelScale(paretoFactors == null) : settings.parallelKernelScale();
        double gamma = sequential && paretoFactors == null ? settings.sequentialGamma() : settings.gamma();
        int good = paretoFactors != null ? paretoFactors.length
                : Math.min(MAX_GOOD, (int) Math.ceil(gamma * ranked.size()));
        var goodTrials = new ArrayList<Observation>(good);
        double[] rankFactor = new double[good];
        for (int i = 0; i < good; i++) {
            rankFactor[i] = paretoFactors != null ? paretoFactors[i] : Math.pow((good - i) / (double) good, exponent);
        }
        var badTrials = new ArrayList<Observation>(ranked.size() - good + pending.size());
        for (int i = 0; i < ranked.size(); i++) {
            (i < good ? goodTrials : badTrials).add(ranked.get(i).observation());
        }
        if (settings.constantLiar()) {
            badTrials.addAll(pending);
        }

        var chosen = new HashMap<String, Object>();
        ParzenEstimator jointBelow = null;
        ParzenEstimator jointAbove = null;
        List<Parameter> jointGroup = null;
        Candidate jointPick = null;
        boolean univariate = paretoFactors != null && directions > 2;
        // Asks while trials run, one objective: other kernel widths and coordinate moves (see the class comment).
        boolean oneObjectiveParallel = !sequential && paretoFactors == null;
        boolean innerGaps = oneObjectiveParallel && settings.parallelInnerGaps();
        boolean moves = oneObjectiveParallel && settings.multivariate() && settings.coordinateMoves() > 0;
        for (List<Parameter> group : univariate ? manyObjectiveGroups : groups) {
            Condition when = group.get(0).when();
            if (!when.holds(chosen)) {
                continue;
            }
            int[] choices = new int[group.size()];
            for (int j = 0; j < group.size(); j++) {
                choices[j] = group.get(j) instanceof CategoricalParameter c ? c.choices().size() : 0;
            }
            ParzenEstimator below;
            ParzenEstimator above;
            if (when.isAlways()) {
                ParzenEstimator[] shared = batch.below.computeIfAbsent(group, g -> new ParzenEstimator[2]);
                int slot = sequential ? 0 : 1; // innerGaps and the kernel scale follow from it within one batch
                if (shared[slot] == null) {
                    shared[slot] = estimator(group, choices, goodTrials, rankFactor, kernelScale, innerGaps, batch);
                }
                below = shared[slot];
                above = estimator(group, choices, badTrials, null, kernelScale, innerGaps, batch);
                jointBelow = below;
                jointAbove = above;
                jointGroup = group;
            } else {
                // A branch's parameters are split into good and bad among the trials of that branch only (as
                // Optuna does for parameters outside the common space): a branch whose every trial is worse than
                // another branch's still learns where in it the better trials lie.
                var active = new ArrayList<Observation>();
                for (RankedTrial t : ranked) {
                    if (when.holds(t.observation().params())) {
                        active.add(t.observation());
                    }
                }
                int branchGood = Math.min(MAX_GOOD, (int) Math.ceil(gamma * active.size()));
                double[] branchFactor = new double[branchGood];
                for (int i = 0; i < branchGood; i++) {
                    branchFactor[i] = Math.pow((branchGood - i) / (double) branchGood, exponent);
                }
                var branchBad = new ArrayList<>(active.subList(branchGood, active.size()));
                if (settings.constantLiar()) {
                    branchBad.addAll(pending);
                }
                below = estimator(group, choices, active.subList(0, branchGood), branchFactor, kernelScale, false, batch);
                above = estimator(group, choices, branchBad, null, kernelScale, false, batch);
            }
            Candidate pick = bestCandidate(below, above, random);
            double[] best = pick.x();
            if (when.isAlways()) {
                jointPick = pick;
            }
            for (int j = 0; j < group.size(); j++) {
                Parameter p = group.get(j);
                Object value = p instanceof CategoricalParameter c ? c.choices().get((int) best[j]) : p.fromUnit(best[j]);
                if (p instanceof CategoricalParameter c && branching.contains(p.name())
                        && random.nextDouble() < settings.branchShare()) {
                    // Every branch keeps a fair chance: a share of the asks picks the branch uniformly, so a
                    // branch that looked poor in its first few trials is still explored (its own parameters are
                    // then modelled from its own trials, above).
                    value = c.choices().get(random.nextInt(c.choices().size()));
                }
                chosen.put(p.name(), value);
            }
        }
        if (moves && jointGroup != null) {
            moveAlongMarginals(chosen, jointGroup, jointBelow, jointAbove, jointPick, random);
        }
        return space.activeOnly(chosen);
    }

    /**
     * The kernel scale of sequential asks: the study's {@code kernelScale}, else x0.6 with one objective and x0.7
     * (the earlier default, kept for several objectives, whose benchmark it was tuned on) with several.
     */
    private double sequentialKernelScale(boolean oneObjective) {
        return !Double.isNaN(settings.kernelScale()) ? settings.kernelScale() : oneObjective ? 0.6 : 0.7;
    }

    /** A point drawn from the good model and its log density ratio, good over bad. */
    private record Candidate(double[] x, double score) {
    }

    /** Of {@code candidates} draws from the good model, the one with the highest good-to-bad log density ratio. */
    private Candidate bestCandidate(ParzenEstimator below, ParzenEstimator above, SplittableRandom random) {
        double[] best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < settings.candidates(); c++) {
            double[] x = below.sample(random);
            double score = below.logPdf(x) - above.logPdf(x);
            if (best == null || score > bestScore) {
                best = x;
                bestScore = score;
            }
        }
        return new Candidate(best, bestScore);
    }

    /** A coordinate move is made only if it raises the parameter's own log density ratio by more than this. */
    static final double MOVE_GAIN = 0.5;

    /**
     * The default {@code moveDrop}: a coordinate move is not made if it lowers the joint model's log density ratio of
     * the parameter's group by more than this (a factor e^8 ≈ 3,000). Chosen on seeds 100–299 with 4 workers (mean
     * log regret summed over 13 problems −0.18; Rosenbrock's median 94.6 → 69.4); docs/quality.md.
     */
    static final double MOVE_DROP = 8;

    /**
     * Draws per parameter in a coordinate move, each one-dimensional. With 8 draws along the joint models'
     * marginals the 14 four-worker cells of the benchmark ended as with 32 draws from separately built
     * one-parameter models (seeds 100–199: mean log10 regret +0.02 in sum; 200–299: −0.41; docs/quality.md), at half
     * the CPU of a parallel ask with a thousand trials.
     */
    static final int MOVE_CANDIDATES = 8;

    /**
     * Coordinate moves (asks while trials run, one objective): for each numeric parameter of the unconditional
     * group, the best of {@value #MOVE_CANDIDATES} draws from the good model's marginal along it (by the marginals'
     * good-to-bad density ratio, as univariate TPE picks) is compared with the value the joint pick gave it; the
     * {@code coordinateMoves} parameters whose ratio rises most, by more than {@value #MOVE_GAIN}, take the
     * one-dimensional value. The joint model copies whole good trials, so a parameter that every good trial has in
     * the same poor basin stays there (Styblinski-Tang: one poor coordinate costs 14); its own marginal still sees
     * the better basin of the few good trials that have it. The marginals are the joint models' own components
     * and weights along one dimension, so a move builds no model of its own. A move that lowers the joint model's
     * log ratio by more than {@code moveDrop} (default {@value #MOVE_DROP}) is not made: where the good trials trace
     * a curved valley (Rosenbrock) the marginal's value for one coordinate leaves it, and the joint model, which sees
     * the valley, rates such a point far below its own pick.
     */
    private void moveAlongMarginals(Map<String, Object> chosen, List<Parameter> group, ParzenEstimator below,
                                    ParzenEstimator above, Candidate pick, SplittableRandom random) {
        var moves = new ArrayList<Move>();
        for (int j = 0; j < group.size(); j++) {
            Parameter p = group.get(j);
            if (p instanceof CategoricalParameter || !(chosen.get(p.name()) instanceof Number)) {
                continue;
            }
            double current = p.toUnit(chosen.get(p.name()));
            double currentScore = below.marginalLogPdf(j, current) - above.marginalLogPdf(j, current);
            double best = Double.NaN;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < MOVE_CANDIDATES; c++) {
                double x = below.sampleMarginal(j, random);
                double score = below.marginalLogPdf(j, x) - above.marginalLogPdf(j, x);
                if (Double.isNaN(best) || score > bestScore) {
                    best = x;
                    bestScore = score;
                }
            }
            if (bestScore - currentScore > MOVE_GAIN) {
                moves.add(new Move(bestScore - currentScore, j, best, p));
            }
        }
        moves.sort((a, b) -> Double.compare(b.gain(), a.gain()));
        // The largest gains first, each unless the joint model rates it too far below its pick (checked only until
        // enough moves are made: the same moves as checking all, at a fraction of the joint densities).
        int made = 0;
        for (int i = 0; i < moves.size() && made < settings.coordinateMoves(); i++) {
            Move move = moves.get(i);
            if (jointDrop(below, above, pick, move.dimension(), move.unit()) <= settings.moveDrop()) {
                chosen.put(move.parameter().name(), move.parameter().fromUnit(move.unit()));
                made++;
            }
        }
    }

    /** A coordinate move on offer: its gain in the parameter's own ratio, the dimension and the unit value. */
    private record Move(double gain, int dimension, double unit, Parameter parameter) {
    }

    /** How much the joint log ratio falls from the joint pick's when its coordinate j alone takes the unit value v. */
    private static double jointDrop(ParzenEstimator below, ParzenEstimator above, Candidate pick, int j, double v) {
        double[] moved = pick.x().clone();
        moved[j] = v;
        return pick.score() - (below.logPdf(moved) - above.logPdf(moved));
    }

    /** Weight of a good trial off the good group's own front (MOTPE's weights; tuned on seeds 100–109). */
    static final double PARETO_FLOOR = 0.1;

    /**
     * MOTPE's good group (Ozaki et al.): the best ranked trials (by non-domination rank, then hypervolume
     * contribution, see {@link RankedTrial}), as many as for one objective, each weighted by its hypervolume
     * contribution to the group's own front ({@link RankedTrial#contributionWeights}) instead of by rank.
     */
    private double[] paretoGood(List<RankedTrial> ranked, AskContext context) {
        int good = Math.min(MAX_GOOD, (int) Math.ceil(settings.gamma() * ranked.size()));
        var goodTrials = new ArrayList<Observation>(good);
        for (int i = 0; i < good; i++) {
            goodTrials.add(ranked.get(i).observation());
        }
        return RankedTrial.contributionWeights(goodTrials, context.directions(), PARETO_FLOOR);
    }

    /**
     * The estimator of one group from the trials where all of it was active, weighted by recency and, when
     * {@code factors} is given (one per trial), by those factors too; numeric kernels scaled by {@code kernelScale}.
     */
    private ParzenEstimator estimator(List<Parameter> group, int[] choices, List<Observation> trials, double[] factors,
                                      double kernelScale, boolean innerGaps, BatchCache batch) {
        IdentityHashMap<Observation, double[]> encoded = encodings.get(group);
        var points = new ArrayList<double[]>(trials.size());
        long[] numbers = new long[trials.size()];
        double[] kept = new double[trials.size()];
        int n = 0;
        synchronized (encoded) {
            if (encoded.size() > ENCODINGS_KEPT) {
                encoded.clear();
            }
            for (int i = 0; i < trials.size(); i++) {
                Observation o = trials.get(i);
                double[] x = encoded.get(o);
                if (x == null) {
                    x = encode(group, o.params());
                    encoded.put(o, x == null ? INACTIVE : x);
                }
                if (x != INACTIVE && x != null) {
                    points.add(x);
                    numbers[n] = o.number();
                    kept[n] = factors == null ? 1.0 : factors[i];
                    n++;
                }
            }
        }
        double[] weights = recencyWeights(Arrays.copyOf(numbers, n));
        for (int i = 0; i < weights.length; i++) {
            weights[i] *= kept[i];
        }
        return new ParzenEstimator(choices, points.toArray(double[][]::new), weights, settings.priorWeight(), kernelScale,
                innerGaps);
    }

    private static double[] encode(List<Parameter> group, Map<String, Object> params) {
        double[] x = new double[group.size()];
        for (int j = 0; j < group.size(); j++) {
            Parameter p = group.get(j);
            Object v = params.get(p.name());
            if (v == null) {
                return null;
            }
            if (p instanceof CategoricalParameter c) {
                int index = c.indexOf(v);
                if (index < 0) {
                    return null;
                }
                x[j] = index;
            } else if (v instanceof Number) {
                x[j] = p.toUnit(v);
            } else {
                return null;
            }
        }
        return x;
    }

    /** Weight 1 for the newest {@link #RECENT} trials, fading linearly towards 1/n for the oldest. */
    static double[] recencyWeights(long[] numbers) {
        int n = numbers.length;
        double[] w = new double[n];
        Arrays.fill(w, 1.0);
        if (n <= RECENT) {
            return w;
        }
        int[] byAge = byAge(numbers);
        int old = n - RECENT;
        for (int r = 0; r < old; r++) {
            w[byAge[r]] = old == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * r / (old - 1);
        }
        return w;
    }

    /**
     * The positions of {@code numbers} from the smallest number (oldest trial) up, ties by position: one sort of
     * primitive keys (number * n + position) where they fit in a long, a comparator sort otherwise.
     */
    static int[] byAge(long[] numbers) {
        int n = numbers.length;
        long max = 0;
        long min = 0;
        for (long number : numbers) {
            max = Math.max(max, number);
            min = Math.min(min, number);
        }
        int[] order = new int[n];
        if (min >= 0 && max < Long.MAX_VALUE / n - 1) {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = numbers[i] * n + i;
            }
            Arrays.sort(keys);
            for (int r = 0; r < n; r++) {
                order[r] = (int) (keys[r] % n);
            }
            return order;
        }
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, Comparator.comparingLong(i -> numbers[i]));
        for (int r = 0; r < n; r++) {
            order[r] = boxed[r];
        }
        return order;
    }
}
