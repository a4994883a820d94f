package dev.tellus.strategy.evolution;

import dev.tellus.history.Direction;
import dev.tellus.history.Observation;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.AskContext;
import dev.tellus.strategy.StrategyOptions;
import dev.tellus.strategy.StrategyState;
import dev.tellus.strategy.evolution.Generations.Member;
import dev.tellus.strategy.support.Json;
import dev.tellus.strategy.support.Normal;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Ask/tell CMA-ES (Hansen's (μ/μ_w, λ)-CMA-ES with active covariance update, mirrored orthogonal sampling and
 * pairwise selection) on the unit-cube encoding of the numeric parameters, with IPOP restarts. The state holds
 * the distribution (mean, step size, covariance, evolution paths), the generation being collected and how many
 * of its members are out; each trial is tagged with its generation, member index and genes ({@link Generations}).
 *
 * <ul>
 * <li>Bounds: a sample outside the cube is redrawn (up to {@value #RESAMPLES} times, then clamped).</li>
 * <li>Integer and stepped parameters get a margin, after Hamano et al. (CMA-ES with margin, 2022): a per-coordinate
 * factor A ≥ 1 keeps the marginal standard deviation at least the distance from the mean to its value's nearest
 * inner bin edge divided by the (1 - α) normal quantile, α = 1/(nλ), so each sample leaves the mean's value with
 * probability ≥ α and the search never freezes on one integer.</li>
 * <li>Categorical parameters fall back to independent choice probabilities, moved after each generation towards
 * the weighted choices of the better half (rate {@value #CATEGORICAL_RATE}) and floored at
 * {@value #CATEGORICAL_FLOOR}/k so no choice is ever ruled out.</li>
 * <li>Parallel workers: once every member of the generation being collected is out, further asks hand out members
 * of the next generation(s), drawn from the current distribution. When their generation is updated they count as
 * injected solutions (Hansen 2011): their step is measured from the new mean and its Mahalanobis length clipped
 * to √n + 2.</li>
 * <li>Sampling: members 2p and 2p + 1 are mirror images (m ± σ y) along orthogonal directions (Wang, Emmerich and
 * Bäck 2014), and only the better of each pair is recombined (pairwise selection, Brockhoff et al. 2010), which
 * keeps mirroring from biasing the step size.</li>
 * <li>Failed and pruned members rank last; a generation without a completed member leaves the distribution as it
 * was.</li>
 * <li>Restarts (IPOP): when the step size has collapsed, the covariance is ill-conditioned, or the best loss has
 * stopped moving, a new run starts from a random mean with twice the population, up to {@code restarts} times.</li>
 * </ul>
 */
public final class CmaEs extends GenerationalStrategy<CmaEs.State> {

    static final int FORMAT = 1;
    static final String RUN = "run";
    static final String SAMPLED_AT = "sampledAt";
    static final double DEFAULT_SIGMA0 = 1.0 / 6;
    static final int DEFAULT_RESTARTS = 9;
    static final int RESAMPLES = 100;
    static final double CATEGORICAL_RATE = 0.25;
    static final double CATEGORICAL_FLOOR = 0.2;
    static final double TOL_X = 1e-9;
    static final double TOL_FUN = 1e-12;
    static final double MAX_CONDITION = 1e14;
    static final double MAX_SIGMA = 10.0;
    static final int MAX_POPSIZE = 100_000;
    /** Random streams of generations: below any trial number and any restart's stream. */
    static final long GENERATION_STREAMS = -(1L << 40);

    private final int n;
    private final int basePopsize;
    private final double sigma0;
    private final int maxRestarts;

    private CmaEs(Genes genes, int basePopsize, double sigma0, int maxRestarts) {
        super(genes);
        this.n = genes.dimensions();
        this.basePopsize = basePopsize;
        this.sigma0 = sigma0;
        this.maxRestarts = maxRestarts;
    }

    /** Validates the options ({@code popsize}, {@code sigma0}, {@code restarts}) and builds the strategy. */
    public static CmaEs create(Map<String, Object> options, SearchSpace space) {
        var genes = new Genes(space);
        var opts = new StrategyOptions(options, Set.of("popsize", "sigma0", "restarts"));
        int popsize = opts.integer("popsize", 2, 10_000, defaultPopsize(genes.dimensions() + genes.categoricals()));
        double sigma0 = opts.number("sigma0", 0.0, 1.0, DEFAULT_SIGMA0);
        int restarts = opts.integer("restarts", 0, 20, DEFAULT_RESTARTS);
        opts.check();
        return new CmaEs(genes, popsize, sigma0, restarts);
    }

    /** Hansen's default population size, 4 + ⌊3 ln n⌋. */
    static int defaultPopsize(int n) {
        return 4 + (int) Math.floor(3 * Math.log(Math.max(1, n)));
    }

    @Override
    State decode(StrategyState state) {
        return State.decode(state, n, genes);
    }

    @Override
    StrategyState encode(State s) {
        return s.encode();
    }

    @Override
    Breeder<State> breeder(State state, AskContext context) {
        Eigen eigen = Eigen.of(state.cov);
        return (s, random) -> {
            int[] c = sampleChoices(s, random);
            double[] step = orthogonalDirection(context, s.issueGeneration, s.issued / 2);
            if (s.issued % 2 == 1) {
                for (int d = 0; d < step.length; d++) {
                    step[d] = -step[d];
                }
            }
            double[] x = sample(s, eigen, step, random);
            var tags = new LinkedHashMap<String, Object>();
            tags.put(RUN, s.run);
            tags.put(SAMPLED_AT, s.generation);
            return new Draft(x, c, tags);
        };
    }

    // ---- sampling ----

    /**
     * The member's draw: its row of the generation's orthogonal directions, then, if that leaves the cube,
     * fresh draws from the trial's own random source.
     */
    private double[] sample(State s, Eigen eigen, double[] direction, SplittableRandom random) {
        double[] x = new double[n];
        for (int attempt = 0; attempt < RESAMPLES; attempt++) {
            double[] z = new double[n];
            for (int i = 0; i < n; i++) {
                z[i] = (attempt == 0 ? direction[i] : random.nextGaussian()) * eigen.d[i];
            }
            boolean inside = true;
            for (int i = 0; i < n; i++) {
                double y = 0;
                for (int j = 0; j < n; j++) {
                    y += eigen.b[i][j] * z[j];
                }
                x[i] = s.mean[i] + s.sigma * s.margin[i] * y;
                inside &= x[i] >= 0 && x[i] <= 1;
            }
            if (inside) {
                return x;
            }
        }
        for (int i = 0; i < n; i++) {
            x[i] = Math.min(1, Math.max(0, x[i]));
        }
        return x;
    }

    /**
     * Orthogonal sampling (Wang, Emmerich and Bäck 2014): the standard normal steps of one generation, taken
     * in blocks of n, are made mutually orthogonal and given independent chi-distributed lengths, so each is
     * still N(0, I) but a generation covers the directions more evenly. They come from the generation's own
     * random stream, so a member's draw does not depend on who asks for it or when. One direction serves a
     * mirrored pair.
     */
    private double[] orthogonalDirection(AskContext context, long generation, int pair) {
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        SplittableRandom random = context.randomFor(GENERATION_STREAMS - generation);
        int block = pair / n;
        double[][] rows = new double[n][n];
        double[] lengths = new double[n];
        // Skip the draws of earlier blocks so a member needs only its own block.
        for (int b = 0; b <= block; b++) {
            for (int r = 0; r < n; r++) {
                double sq = 0;
                for (int i = 0; i < n; i++) {
                    rows[r][i] = random.nextGaussian();
                }
                for (int i = 0; i < n; i++) {
                    double g = random.nextGaussian();
                    sq += g * g;
                }
                lengths[r] = Math.sqrt(sq);
            }
        }
        int row = pair % n;
        for (int r = 0; r <= row; r++) {
            for (int q = 0; q < r; q++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += rows[r][i] * rows[q][i];
                }
                for (int i = 0; i < n; i++) {
                    rows[r][i] -= dot * rows[q][i];
                }
            }
            double norm = norm(rows[r]);
            for (int i = 0; i < n; i++) {
                rows[r][i] /= norm;
            }
        }
        for (int i = 0; i < n; i++) {
            out[i] = rows[row][i] * lengths[row];
        }
        return out;
    }

    private int[] sampleChoices(State s, SplittableRandom random) {
        int[] c = new int[genes.categoricals()];
        for (int j = 0; j < c.length; j++) {
            double u = random.nextDouble();
            double[] p = s.probabilities[j];
            int k = 0;
            double sum = p[0];
            while (u >= sum && k < p.length - 1) {
                sum += p[++k];
            }
            c[j] = k;
        }
        return c;
    }

    // ---- generations ----

    /**
     * A state that cannot be read is rebuilt by replaying the tagged trials generation by generation, exactly
     * as the asks folded them in; the issue position continues after the last member handed out.
     */
    @Override
    State rebuild(AskContext context) {
        Direction direction = Generations.direction(context);
        var replay = new Generations.Replay(context.history());
        var byGeneration = replay.generations();
        State s = fresh(0, context);
        while (true) {
            List<Observation> members = ofRun(byGeneration.get(s.generation), s.run);
            Member[] resolved = members.isEmpty() ? null
                    : Generations.resolve(members, s.lambda, n, genes.categoricals(), direction);
            if (resolved == null) {
                break;
            }
            s.issueGeneration = s.generation + 1;
            s.issued = 0;
            if (update(s, resolved, context)) {
                long start = byGeneration.isEmpty() ? 0 : byGeneration.lastKey() + 1;
                for (var e : byGeneration.entrySet()) {
                    if (!ofRun(e.getValue(), s.run).isEmpty()) {
                        start = e.getKey();
                        break;
                    }
                }
                s.generation = start;
            } else {
                s.generation++;
            }
        }
        int run = s.run;
        long[] position = Generations.issuePosition(g -> ofRun(byGeneration.get(g), run), s.generation, s.lambda);
        s.issueGeneration = position[0];
        s.issued = (int) position[1];
        return s;
    }

    private static List<Observation> ofRun(List<Observation> members, int run) {
        if (members == null) {
            return List.of();
        }
        return members.stream().filter(o -> Json.asLong(o.tags().get(RUN), -1) == run).toList();
    }

    private State fresh(int run, AskContext context) {
        var s = new State();
        s.run = run;
        s.lambda = (int) Math.min((long) basePopsize << Math.min(run, 20), Math.max(basePopsize, MAX_POPSIZE));
        s.mean = new double[n];
        if (run == 0) {
            Arrays.fill(s.mean, 0.5);
        } else {
            // Negative numbers are never trial numbers: they name the study's own random streams.
            SplittableRandom random = context.randomFor(-run);
            for (int i = 0; i < n; i++) {
                s.mean[i] = random.nextDouble();
            }
        }
        s.sigma = sigma0;
        s.cov = new double[n][n];
        for (int i = 0; i < n; i++) {
            s.cov[i][i] = 1;
        }
        s.ps = new double[n];
        s.pc = new double[n];
        s.margin = new double[n];
        Arrays.fill(s.margin, 1.0);
        s.probabilities = new double[genes.categoricals()][];
        for (int j = 0; j < genes.categoricals(); j++) {
            s.probabilities[j] = new double[genes.choices(j)];
            Arrays.fill(s.probabilities[j], 1.0 / genes.choices(j));
        }
        s.recentBest = new ArrayList<>();
        updateMargin(s);
        return s;
    }

    // ---- the update ----

    /** Hansen's default constants for a population size and dimension. */
    private record Constants(int mu, double[] weights, double mueff, double cs, double ds, double cc, double c1,
                             double cmu, double chiN) {

        static Constants of(int lambda, int n) {
            int mu = lambda / 2;
            double[] raw = new double[lambda];
            for (int i = 0; i < lambda; i++) {
                raw[i] = Math.log((lambda + 1) / 2.0) - Math.log(i + 1);
            }
            double posSum = 0;
            double posSq = 0;
            double negSum = 0;
            double negSq = 0;
            for (double w : raw) {
                if (w > 0) {
                    posSum += w;
                    posSq += w * w;
                } else {
                    negSum -= w;
                    negSq += w * w;
                }
            }
            double mueff = posSum * posSum / posSq;
            double nn = Math.max(1, n);
            double cs = (mueff + 2) / (nn + mueff + 5);
            double ds = 1 + 2 * Math.max(0, Math.sqrt((mueff - 1) / (nn + 1)) - 1) + cs;
            double cc = (4 + mueff / nn) / (nn + 4 + 2 * mueff / nn);
            double c1 = 2 / ((nn + 1.3) * (nn + 1.3) + mueff);
            double cmu = Math.min(1 - c1, 2 * (mueff - 2 + 1 / mueff) / ((nn + 2) * (nn + 2) + mueff));
            double mueffNeg = negSq > 0 ? negSum * negSum / negSq : 0;
            double negScale = Math.min(1 + c1 / cmu, Math.min(1 + 2 * mueffNeg / (mueff + 2), (1 - c1 - cmu) / (nn * cmu)));
            double[] weights = new double[lambda];
            for (int i = 0; i < lambda; i++) {
                weights[i] = raw[i] > 0 ? raw[i] / posSum : (negSum > 0 ? negScale * raw[i] / negSum : 0);
            }
            double chiN = Math.sqrt(nn) * (1 - 1 / (4 * nn) + 1 / (21 * nn * nn));
            return new Constants(mu, weights, mueff, cs, ds, cc, c1, cmu, chiN);
        }
    }

    /**
     * Pairwise selection: the better of each mirrored pair (members 2p and 2p + 1) first, by loss, then the
     * others; with μ = ⌊λ/2⌋ only pair winners are recombined, which removes the step-size bias of mirroring.
     * A member redrawn at the bounds, or drawn ahead from an older distribution, is no exact mirror; the rule
     * still only picks the better of two.
     */
    private static List<Member> pairwise(Member[] members) {
        var winners = new ArrayList<Member>();
        var losers = new ArrayList<Member>();
        for (int k = 0; k < members.length; k += 2) {
            if (k + 1 == members.length) {
                winners.add(members[k]);
            } else if (members[k + 1].loss() < members[k].loss()) {
                winners.add(members[k + 1]);
                losers.add(members[k]);
            } else {
                winners.add(members[k]);
                losers.add(members[k + 1]);
            }
        }
        var out = new ArrayList<>(Generations.ranked(winners.toArray(Member[]::new)));
        out.addAll(Generations.ranked(losers.toArray(Member[]::new)));
        return out;
    }

    /** Updates the distribution with a complete generation; returns true when it restarted instead. */
    @Override
    boolean update(State s, Member[] members, AskContext context) {
        List<Member> ranked = pairwise(members);
        if (!Double.isFinite(ranked.get(0).loss())) {
            return false;
        }
        Constants k = Constants.of(s.lambda, n);
        updateChoices(s, ranked, k);
        if (n > 0) {
            updateDistribution(s, ranked, k);
        }
        double best = ranked.get(0).loss();
        double worst = ranked.stream().mapToDouble(Member::loss).filter(Double::isFinite).max().orElse(best);
        s.recentBest.add(best);
        int window = 10 + (int) Math.ceil(30.0 * Math.max(1, n) / s.lambda);
        while (s.recentBest.size() > window) {
            s.recentBest.remove(0);
        }
        s.runGenerations++;
        // A numerically broken distribution restarts even when no restarts are left: JSON cannot hold it.
        if (!s.isFinite() || (s.run < maxRestarts && converged(s, window, worst - best))) {
            long start = s.issued > 0 ? s.issueGeneration + 1 : s.issueGeneration;
            State next = fresh(s.run + 1, context);
            s.copyFrom(next);
            s.generation = start;
            s.issueGeneration = start;
            s.issued = 0;
            return true;
        }
        return false;
    }

    private void updateDistribution(State s, List<Member> ranked, Constants k) {
        Eigen eigen = Eigen.of(s.cov);
        int lambda = ranked.size();
        double[][] y = new double[lambda][n];
        double clip = Math.sqrt(n) + 2;
        for (int r = 0; r < lambda; r++) {
            Member m = ranked.get(r);
            for (int i = 0; i < n; i++) {
                y[r][i] = (m.x()[i] - s.mean[i]) / (s.sigma * s.margin[i]);
            }
            boolean injected = Json.asLong(m.trial().tags().get(SAMPLED_AT), s.generation) != s.generation;
            if (injected) {
                double norm = norm(eigen.invSqrt(y[r]));
                if (norm > clip) {
                    for (int i = 0; i < n; i++) {
                        y[r][i] *= clip / norm;
                    }
                }
            }
        }
        double[] yw = new double[n];
        for (int r = 0; r < k.mu(); r++) {
            for (int i = 0; i < n; i++) {
                yw[i] += k.weights()[r] * y[r][i];
            }
        }
        for (int i = 0; i < n; i++) {
            s.mean[i] = Math.min(1, Math.max(0, s.mean[i] + s.sigma * s.margin[i] * yw[i]));
        }
        double[] white = eigen.invSqrt(yw);
        double a = Math.sqrt(k.cs() * (2 - k.cs()) * k.mueff());
        for (int i = 0; i < n; i++) {
            s.ps[i] = (1 - k.cs()) * s.ps[i] + a * white[i];
        }
        double psNorm = norm(s.ps);
        double t = s.runGenerations + 1;
        boolean hsig = psNorm / Math.sqrt(1 - Math.pow(1 - k.cs(), 2 * t)) / k.chiN() < 1.4 + 2.0 / (n + 1);
        double b = Math.sqrt(k.cc() * (2 - k.cc()) * k.mueff());
        for (int i = 0; i < n; i++) {
            s.pc[i] = (1 - k.cc()) * s.pc[i] + (hsig ? b * yw[i] : 0);
        }
        // Active update: the negative weights (the worse half, pair losers first among them) shrink the
        // covariance along bad steps, scaled by n / |C^(-1/2) y|² as in Hansen's tutorial.
        double[] w = k.weights().clone();
        double weightSum = 0;
        for (int r = 0; r < lambda; r++) {
            weightSum += w[r];
            if (w[r] < 0) {
                double len = norm(eigen.invSqrt(y[r]));
                w[r] *= n / Math.max(len * len, 1e-20);
            }
        }
        double delta = hsig ? 0 : k.cc() * (2 - k.cc());
        double keep = 1 + k.c1() * delta - k.c1() - k.cmu() * weightSum;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = keep * s.cov[i][j] + k.c1() * s.pc[i] * s.pc[j];
                for (int r = 0; r < lambda; r++) {
                    v += k.cmu() * w[r] * y[r][i] * y[r][j];
                }
                s.cov[i][j] = v;
                s.cov[j][i] = v;
            }
        }
        s.sigma = Math.min(MAX_SIGMA, s.sigma * Math.exp(Math.min(1.0, (k.cs() / k.ds()) * (psNorm / k.chiN() - 1))));
        updateMargin(s);
    }

    /** Keeps each integer/stepped coordinate able to leave the mean's value: see the class comment. */
    private void updateMargin(State s) {
        double alpha = 1.0 / (Math.max(1, n) * s.lambda);
        double z = Normal.upperQuantile(alpha);
        for (int i = 0; i < n; i++) {
            double[] bin = genes.bin(i, s.mean[i]);
            s.margin[i] = 1.0;
            if (bin == null || (bin[0] <= 0 && bin[1] >= 1)) {
                continue;
            }
            double distance = Double.POSITIVE_INFINITY;
            if (bin[0] > 0) {
                distance = s.mean[i] - bin[0];
            }
            if (bin[1] < 1) {
                distance = Math.min(distance, bin[1] - s.mean[i]);
            }
            double marginal = s.sigma * Math.sqrt(Math.max(s.cov[i][i], 1e-300));
            s.margin[i] = Math.max(1.0, distance / (z * marginal));
        }
    }

    /** Categorical fallback: move each choice's probability towards its weight among the better half. */
    private void updateChoices(State s, List<Member> ranked, Constants k) {
        for (int j = 0; j < genes.categoricals(); j++) {
            String name = genes.categoricalName(j);
            double[] target = new double[genes.choices(j)];
            double total = 0;
            for (int r = 0; r < k.mu(); r++) {
                Member m = ranked.get(r);
                if (Double.isFinite(m.loss()) && m.trial().params().containsKey(name)) {
                    target[m.choices()[j]] += k.weights()[r];
                    total += k.weights()[r];
                }
            }
            if (total <= 0) {
                continue;
            }
            double[] p = s.probabilities[j];
            double floor = CATEGORICAL_FLOOR / p.length;
            double sum = 0;
            for (int c = 0; c < p.length; c++) {
                p[c] = Math.max(floor, (1 - CATEGORICAL_RATE) * p[c] + CATEGORICAL_RATE * target[c] / total);
                sum += p[c];
            }
            for (int c = 0; c < p.length; c++) {
                p[c] /= sum;
            }
        }
    }

    private boolean converged(State s, int window, double generationRange) {
        if (n == 0) {
            return false;
        }
        double maxDiag = 0;
        for (int i = 0; i < n; i++) {
            maxDiag = Math.max(maxDiag, s.cov[i][i]);
        }
        if (!Double.isFinite(s.sigma) || !Double.isFinite(maxDiag) || s.sigma * Math.sqrt(maxDiag) < TOL_X) {
            return true;
        }
        if (s.recentBest.size() >= window) {
            double lo = s.recentBest.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            double hi = s.recentBest.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            if (hi - lo < TOL_FUN && generationRange < TOL_FUN) {
                return true;
            }
        }
        Eigen e = Eigen.of(s.cov);
        double min = Arrays.stream(e.d).min().orElse(1);
        double max = Arrays.stream(e.d).max().orElse(1);
        return !(min > 0) || (max * max) / (min * min) > MAX_CONDITION;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    // ---- state ----

    /** The persisted state; see {@link #encode()} for the JSON shape. */
    static final class State extends GenerationalStrategy.Position {
        int run;
        int lambda;
        long runGenerations;
        double[] mean;
        double sigma;
        double[][] cov;
        double[] ps;
        double[] pc;
        double[] margin;
        double[][] probabilities;
        List<Double> recentBest;

        @Override
        int size() {
            return lambda;
        }

        boolean isFinite() {
            boolean finite = Double.isFinite(sigma) && sigma > 0;
            for (int i = 0; i < mean.length && finite; i++) {
                finite = Double.isFinite(mean[i]) && Double.isFinite(ps[i]) && Double.isFinite(pc[i])
                        && Double.isFinite(margin[i]) && Arrays.stream(cov[i]).allMatch(Double::isFinite);
            }
            return finite;
        }

        void copyFrom(State o) {
            run = o.run;
            lambda = o.lambda;
            runGenerations = o.runGenerations;
            mean = o.mean;
            sigma = o.sigma;
            cov = o.cov;
            ps = o.ps;
            pc = o.pc;
            margin = o.margin;
            probabilities = o.probabilities;
            recentBest = o.recentBest;
        }

        StrategyState encode() {
            var doc = new LinkedHashMap<String, Object>();
            doc.put("run", run);
            doc.put("lambda", lambda);
            doc.put("generation", generation);
            doc.put("issueGeneration", issueGeneration);
            doc.put("issued", issued);
            doc.put("runGenerations", runGenerations);
            doc.put("mean", Json.list(mean));
            doc.put("sigma", sigma);
            doc.put("cov", Json.matrix(cov));
            doc.put("ps", Json.list(ps));
            doc.put("pc", Json.list(pc));
            doc.put("margin", Json.list(margin));
            doc.put("probabilities", Json.matrix(probabilities));
            doc.put("recentBest", new ArrayList<>(recentBest));
            return new StrategyState(FORMAT, doc);
        }

        /** The state, or null when it is not one this space's CMA-ES wrote. */
        static State decode(StrategyState state, int n, Genes genes) {
            if (state == null || state.format() != FORMAT) {
                return null;
            }
            Map<String, Object> d = state.document();
            var s = new State();
            s.run = (int) Json.asLong(d.get("run"), -1);
            s.lambda = (int) Json.asLong(d.get("lambda"), -1);
            s.generation = Json.asLong(d.get("generation"), -1);
            s.issueGeneration = Json.asLong(d.get("issueGeneration"), -1);
            s.issued = (int) Json.asLong(d.get("issued"), -1);
            s.runGenerations = Json.asLong(d.get("runGenerations"), -1);
            s.sigma = Json.asDouble(d.get("sigma"), Double.NaN);
            s.mean = Json.doubles(d.get("mean"), n);
            s.cov = Json.matrix(d.get("cov"), n);
            s.ps = Json.doubles(d.get("ps"), n);
            s.pc = Json.doubles(d.get("pc"), n);
            s.margin = Json.doubles(d.get("margin"), n);
            if (s.run < 0 || s.lambda < 2 || s.generation < 0 || s.issueGeneration < s.generation || s.issued < 0
                    || s.issued >= s.lambda || s.runGenerations < 0 || !(s.sigma > 0) || s.mean == null || s.cov == null
                    || s.ps == null || s.pc == null || s.margin == null) {
                return null;
            }
            if (!(d.get("probabilities") instanceof List<?> probs) || probs.size() != genes.categoricals()) {
                return null;
            }
            s.probabilities = new double[probs.size()][];
            for (int j = 0; j < probs.size(); j++) {
                s.probabilities[j] = Json.doubles(probs.get(j), genes.choices(j));
                if (s.probabilities[j] == null) {
                    return null;
                }
            }
            if (!(d.get("recentBest") instanceof List<?> best)) {
                return null;
            }
            s.recentBest = new ArrayList<>();
            for (Object b : best) {
                if (!(b instanceof Number num)) {
                    return null;
                }
                s.recentBest.add(num.doubleValue());
            }
            return s;
        }
    }

    /** C = B diag(d²) Bᵀ, with d the square roots of the eigenvalues (floored at a tiny positive value). */
    static final class Eigen {
        final double[][] b;
        final double[] d;

        private Eigen(double[][] b, double[] d) {
            this.b = b;
            this.d = d;
        }

        static Eigen of(double[][] cov) {
            int n = cov.length;
            double[][] b = new double[n][n];
            double[] d = new double[n];
            if (n == 0) {
                return new Eigen(b, d);
            }
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
            if (!eig.decompose(new DMatrixRMaj(cov))) {
                for (int i = 0; i < n; i++) {
                    b[i][i] = 1;
                    d[i] = Math.sqrt(Math.max(cov[i][i], 1e-300));
                }
                return new Eigen(b, d);
            }
            for (int j = 0; j < n; j++) {
                d[j] = Math.sqrt(Math.max(eig.getEigenvalue(j).getReal(), 1e-300));
                DMatrixRMaj v = eig.getEigenVector(j);
                for (int i = 0; i < n; i++) {
                    b[i][j] = v.get(i, 0);
                }
            }
            return new Eigen(b, d);
        }

        /** C^(-1/2) v = B diag(1/d) Bᵀ v. */
        double[] invSqrt(double[] v) {
            int n = d.length;
            double[] t = new double[n];
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += b[i][j] * v[i];
                }
                t[j] = s / d[j];
            }
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += b[i][j] * t[j];
                }
                out[i] = s;
            }
            return out;
        }
    }
}
