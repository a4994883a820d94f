package dev.tellus.strategy.evolution;

import dev.tellus.history.TrialStatus;
import dev.tellus.space.SearchSpace;
import dev.tellus.strategy.AskContext;
import dev.tellus.strategy.StrategyOptions;
import dev.tellus.strategy.StrategyState;
import dev.tellus.strategy.evolution.Generations.Member;
import dev.tellus.strategy.support.Json;
import dev.tellus.strategy.support.Pareto;
import dev.tellus.strategy.support.RankedTrial;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A genetic algorithm on mixed spaces. Generation 0 is uniform random; every later child has two parents picked
 * by tournament from the population, numeric genes (unit-cube coordinates, log parameters in log space) crossed
 * by SBX or BLX-α and mutated by polynomial mutation, categorical genes crossed uniformly and mutated by
 * resampling. Elitism: after each generation the population is the best {@code population} of parents and
 * children together, so the best configuration found is never lost.
 *
 * <p>The state holds the population (genes and loss) and the generation bookkeeping of {@link Generations}.
 * When more workers ask than the generation has members left, they get members of the next generation, bred
 * from the same population. Failed and pruned members never enter the population. With constraints, survivors
 * are chosen by Deb's feasibility rule: feasible ones by loss first, then infeasible ones by violation.
 *
 * <p>{@code nsga2} is the same machinery with NSGA-II's survivor selection (Deb et al. 2002): parents and children
 * are sorted into non-dominated fronts under constrained dominance, fronts are taken whole while they fit and the
 * last one by crowding distance, and the population is kept ordered by (front, crowding), so the tournament's
 * "lower index wins" is the crowded-comparison tournament.
 */
public final class Genetic extends GenerationalStrategy<Genetic.State> {

    static final int FORMAT = 1;
    static final double CROSSOVER_PROBABILITY = 0.9;
    static final double BLEND_ALPHA = 0.5;

    private final int size;
    private final boolean pareto;
    private final boolean sbx;
    private final int tournament;
    private final double mutationRate;
    private final double choiceMutationRate;
    private final double crossoverEta;
    private final double mutationEta;

    private Genetic(Genes genes, int size, boolean pareto, boolean sbx, int tournament, double mutationRate,
                    double choiceMutationRate, double crossoverEta, double mutationEta) {
        super(genes);
        this.size = size;
        this.pareto = pareto;
        this.sbx = sbx;
        this.tournament = tournament;
        this.mutationRate = mutationRate;
        this.choiceMutationRate = choiceMutationRate;
        this.crossoverEta = crossoverEta;
        this.mutationEta = mutationEta;
    }

    /**
     * Validates the options and builds the strategy: {@code population} (members per generation and survivors),
     * {@code crossover} ({@code blend}, the default, or {@code sbx}), {@code tournament} (size),
     * {@code mutationRate} (per gene, default 1/genes), {@code crossoverEta} and {@code mutationEta} (distribution
     * indices of SBX and polynomial mutation: larger stays closer to the parents).
     */
    public static Genetic create(Map<String, Object> options, SearchSpace space) {
        return create(options, space, false);
    }

    /**
     * NSGA-II: the same options; defaults SBX (distribution index 20, as Deb et al.) and polynomial mutation of
     * every numeric gene (index {@value #PARETO_MUTATION_ETA}; categorical genes resampled at 1/genes), population
     * {@link #defaultParetoPopulation}.
     */
    public static Genetic nsga2(Map<String, Object> options, SearchSpace space) {
        return create(options, space, true);
    }

    private static Genetic create(Map<String, Object> options, SearchSpace space, boolean pareto) {
        var genes = new Genes(space);
        int count = genes.dimensions() + genes.categoricals();
        var opts = new StrategyOptions(options,
                Set.of("population", "crossover", "tournament", "mutationRate", "crossoverEta", "mutationEta"));
        int size = opts.integer("population", 2, 10_000, pareto ? defaultParetoPopulation(count) : defaultPopulation(count));
        String crossover = opts.word("crossover", List.of("sbx", "blend"), pareto ? "sbx" : "blend");
        int tournament = opts.integer("tournament", 1, 100, 2);
        boolean rateGiven = options.containsKey("mutationRate");
        double mutationRate = opts.number("mutationRate", 0.0, 1.0, pareto ? 1.0 : 1.0 / count);
        double crossoverEta = opts.number("crossoverEta", 0.0, 1000.0, pareto ? PARETO_ETA : 10.0);
        double mutationEta = opts.number("mutationEta", 0.0, 1000.0, pareto ? PARETO_MUTATION_ETA : 5.0);
        opts.check();
        // NSGA-II by default perturbs every numeric gene a little but resamples a categorical one only at 1/genes.
        double choiceRate = rateGiven || !pareto ? mutationRate : 1.0 / count;
        return new Genetic(genes, size, pareto, crossover.equals("sbx"), tournament, mutationRate, choiceRate,
                crossoverEta, mutationEta);
    }

    /** Distribution index of NSGA-II's SBX crossover (Deb et al. 2002). */
    static final double PARETO_ETA = 20.0;
    /**
     * Distribution index of NSGA-II's polynomial mutation, which by default touches every numeric gene: with
     * Deb's 1/genes rate and index 20 the 150-trial budget stayed at the level of random search on Binh–Korn and
     * DTLZ2 (seeds 100–109: 5162 and 9.41 against random's 5152 and 9.40; every gene with index 10: 5198, 9.71).
     */
    static final double PARETO_MUTATION_ETA = 10.0;

    /**
     * NSGA-II's population: twice the genes, at least 16 and at most 100. A front needs more members than one best
     * point does, and a hyperparameter budget of about 150 trials still makes several generations of it.
     */
    static int defaultParetoPopulation(int genes) {
        return Math.max(16, Math.min(100, 2 * genes));
    }

    /**
     * One member per gene, at least 10 and at most 100: small populations make more generations of a
     * hyperparameter-sized budget (chosen on the evo benchmark suite, see the README).
     */
    static int defaultPopulation(int genes) {
        return Math.max(10, Math.min(100, genes));
    }

    /**
     * One survivor: its genes, loss (first objective), violation (0 when feasible) and, for NSGA-II, every
     * objective's loss.
     */
    private record Individual(double[] x, int[] c, double loss, double violation, double[] losses) {

        Individual(double[] x, int[] c, double loss) {
            this(x, c, loss, 0, null);
        }
    }

    @Override
    Breeder<State> breeder(State state, AskContext context) {
        return (s, random) -> {
            Individual child = s.population.isEmpty() ? randomIndividual(random) : breed(s.population, random);
            return new Draft(child.x(), child.c(), Map.of());
        };
    }

    @Override
    boolean update(State s, Member[] members, AskContext context) {
        var pool = new ArrayList<>(s.population);
        for (Member m : members) {
            double violation = Pareto.violation(m.trial().constraints());
            if (pareto) {
                double[] losses = m.trial().status() == TrialStatus.COMPLETED
                        ? RankedTrial.losses(m.trial(), context.directions()) : null;
                if (losses != null) {
                    pool.add(new Individual(m.x(), m.choices(), losses[0], violation, losses));
                }
            } else if (Double.isFinite(m.loss())) {
                pool.add(new Individual(m.x(), m.choices(), m.loss(), violation, null));
            }
        }
        if (pareto) {
            s.population = survivors(pool);
        } else {
            // Stable: on equal losses the older individual stays ahead. Deb's rule: feasible (violation 0) by loss,
            // then infeasible by violation.
            pool.sort(Comparator.comparingDouble(Individual::violation).thenComparingDouble(Individual::loss));
            s.population = new ArrayList<>(pool.subList(0, Math.min(size, pool.size())));
        }
        return false;
    }

    /** NSGA-II's survivors, ordered by (front, crowding distance descending), older first on ties. */
    private List<Individual> survivors(List<Individual> pool) {
        double[][] losses = pool.stream().map(Individual::losses).toArray(double[][]::new);
        double[] violations = pool.stream().mapToDouble(Individual::violation).toArray();
        var out = new ArrayList<Individual>(size);
        for (List<Integer> front : Pareto.fronts(losses, violations)) {
            if (out.size() >= size) {
                break;
            }
            double[] crowding = Pareto.crowding(losses, front);
            Integer[] order = new Integer[front.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(crowding[b], crowding[a]));
            for (int i = 0; i < order.length && out.size() < size; i++) {
                out.add(pool.get(front.get(order[i])));
            }
        }
        return out;
    }

    /** Replays the tagged trials generation by generation, as the asks folded them in. */
    @Override
    State rebuild(AskContext context) {
        var source = new Generations.Replay(context.history());
        var s = new State();
        s.population = new ArrayList<>();
        long before;
        do {
            before = s.generation;
            s.issueGeneration = s.generation + 1;
            s.issued = 0;
            fold(s, source, context);
        } while (s.generation > before);
        long[] position = Generations.issuePosition(source, s.generation, size);
        s.issueGeneration = position[0];
        s.issued = (int) position[1];
        return s;
    }

    // ---- variation ----

    private Individual randomIndividual(SplittableRandom random) {
        double[] x = new double[genes.dimensions()];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble();
        }
        int[] c = new int[genes.categoricals()];
        for (int j = 0; j < c.length; j++) {
            c[j] = random.nextInt(genes.choices(j));
        }
        return new Individual(x, c, Double.NaN);
    }

    private Individual pick(List<Individual> population, SplittableRandom random) {
        // The population is sorted best first, so the lowest index drawn wins the tournament.
        int best = random.nextInt(population.size());
        for (int t = 1; t < tournament; t++) {
            best = Math.min(best, random.nextInt(population.size()));
        }
        return population.get(best);
    }

    private Individual breed(List<Individual> population, SplittableRandom random) {
        Individual a = pick(population, random);
        Individual b = pick(population, random);
        boolean cross = random.nextDouble() < CROSSOVER_PROBABILITY;
        double[] x = a.x().clone();
        for (int i = 0; i < x.length; i++) {
            double u = random.nextDouble();
            double v = random.nextDouble();
            if (cross) {
                x[i] = sbx ? simulatedBinary(a.x()[i], b.x()[i], u, v) : blend(a.x()[i], b.x()[i], u);
            }
        }
        int[] c = a.c().clone();
        for (int j = 0; j < c.length; j++) {
            if (cross && random.nextBoolean()) {
                c[j] = b.c()[j];
            }
        }
        for (int i = 0; i < x.length; i++) {
            double u = random.nextDouble();
            if (random.nextDouble() < mutationRate) {
                x[i] = polynomialMutation(x[i], u);
            }
        }
        for (int j = 0; j < c.length; j++) {
            int draw = random.nextInt(genes.choices(j));
            if (random.nextDouble() < choiceMutationRate) {
                c[j] = draw;
            }
        }
        return new Individual(x, c, Double.NaN);
    }

    /** Deb's simulated binary crossover for one gene: one of the two children, each gene crossed with p = 1/2. */
    private double simulatedBinary(double p1, double p2, double u, double side) {
        if (side < 0.25) {
            return p1;
        }
        if (side < 0.5) {
            return p2;
        }
        double beta = u <= 0.5 ? Math.pow(2 * u, 1 / (crossoverEta + 1)) : Math.pow(1 / (2 * (1 - u)), 1 / (crossoverEta + 1));
        double child = side < 0.75 ? 0.5 * ((1 + beta) * p1 + (1 - beta) * p2) : 0.5 * ((1 - beta) * p1 + (1 + beta) * p2);
        return Math.min(1, Math.max(0, child));
    }

    /** BLX-α: uniform on the parents' interval widened by α of its length on each side. */
    private static double blend(double p1, double p2, double u) {
        double lo = Math.min(p1, p2);
        double d = Math.abs(p1 - p2);
        return Math.min(1, Math.max(0, lo - BLEND_ALPHA * d + u * d * (1 + 2 * BLEND_ALPHA)));
    }

    /** Deb's polynomial mutation on the unit interval. */
    private double polynomialMutation(double v, double u) {
        double e = 1 / (mutationEta + 1);
        double delta = u < 0.5 ? Math.pow(2 * u, e) - 1 : 1 - Math.pow(2 * (1 - u), e);
        return Math.min(1, Math.max(0, v + delta));
    }

    // ---- state ----

    final class State extends GenerationalStrategy.Position {
        List<Individual> population;

        @Override
        int size() {
            return size;
        }

        StrategyState encode() {
            var doc = new LinkedHashMap<String, Object>();
            doc.put("generation", generation);
            doc.put("issueGeneration", issueGeneration);
            doc.put("issued", issued);
            doc.put("size", size);
            var pop = new ArrayList<Map<String, Object>>();
            for (Individual ind : population) {
                var entry = new LinkedHashMap<String, Object>();
                entry.put("x", Json.list(ind.x()));
                entry.put("c", Json.list(ind.c()));
                entry.put("loss", ind.loss());
                if (ind.violation() > 0) {
                    entry.put("violation", ind.violation());
                }
                if (ind.losses() != null) {
                    entry.put("losses", Json.list(ind.losses()));
                }
                pop.add(entry);
            }
            doc.put("population", pop);
            return new StrategyState(FORMAT, doc);
        }
    }

    @Override
    StrategyState encode(State s) {
        return s.encode();
    }

    @Override
    State decode(StrategyState state) {
        if (state == null || state.format() != FORMAT) {
            return null;
        }
        Map<String, Object> d = state.document();
        var s = new State();
        s.generation = Json.asLong(d.get("generation"), -1);
        s.issueGeneration = Json.asLong(d.get("issueGeneration"), -1);
        s.issued = (int) Json.asLong(d.get("issued"), -1);
        if (s.generation < 0 || s.issueGeneration < s.generation || s.issued < 0 || s.issued >= size
                || Json.asLong(d.get("size"), -1) != size || !(d.get("population") instanceof List<?> pop)) {
            return null;
        }
        s.population = new ArrayList<>();
        for (Object raw : pop) {
            if (!(raw instanceof Map<?, ?> ind)) {
                return null;
            }
            double[] x = Json.doubles(ind.get("x"), genes.dimensions());
            int[] c = Json.ints(ind.get("c"), genes.categoricals());
            double loss = Json.asDouble(ind.get("loss"), Double.NaN);
            if (x == null || c == null || !Double.isFinite(loss)) {
                return null;
            }
            for (int j = 0; j < c.length; j++) {
                if (c[j] < 0 || c[j] >= genes.choices(j)) {
                    return null;
                }
            }
            double violation = Json.asDouble(ind.get("violation"), 0);
            double[] losses = null;
            if (pareto) {
                losses = ind.get("losses") instanceof List<?> l && !l.isEmpty() ? Json.doubles(l, l.size()) : null;
                if (losses == null) {
                    return null;
                }
            }
            if (!(violation >= 0) || !Double.isFinite(violation)) {
                return null;
            }
            s.population.add(new Individual(x, c, loss, violation, losses));
        }
        return s;
    }
}
