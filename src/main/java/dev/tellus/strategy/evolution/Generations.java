package dev.tellus.strategy.evolution;

import dev.tellus.history.Direction;
import dev.tellus.history.History;
import dev.tellus.history.Observation;
import dev.tellus.history.TrialStatus;
import dev.tellus.strategy.AskContext;
import dev.tellus.strategy.support.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Generation bookkeeping shared by the evolutionary strategies. Every proposal is tagged with its
 * {@code generation} and its {@code member} index in it, plus the genes it was made from ({@code x}: unit
 * coordinates of the numeric parameters, {@code choices}: categorical indices), so an update never depends on
 * the order results arrive in, and a lost state can be rebuilt from the trials alone.
 *
 * <p>A generation is complete when each of its members has a result: a COMPLETED trial carrying that member
 * index, or a finished (FAILED, PRUNED) one with no retry of the same member still running. FAILED and PRUNED
 * members rank last; a generation with no completed member leaves the distribution unchanged. A result that
 * arrives after its generation was folded in is kept by the service and ignored here.
 */
final class Generations {

    static final String GENERATION = "generation";
    static final String MEMBER = "member";
    static final String X = "x";
    static final String CHOICES = "choices";

    private Generations() {
    }

    /** A member as the update sees it: its genes and its loss (+infinity when it has none). */
    record Member(int index, double[] x, int[] choices, double loss, Observation trial) {
    }

    /** Where the members of a generation come from: History.tagged while running, an index while rebuilding. */
    interface Source {
        List<Observation> members(long generation);
    }

    /** The tags of a proposal: generation, member index and genes. */
    static Map<String, Object> tags(long generation, int member, double[] x, int[] choices) {
        var tags = new LinkedHashMap<String, Object>();
        tags.put(GENERATION, generation);
        tags.put(MEMBER, member);
        tags.put(X, Json.list(x));
        tags.put(CHOICES, Json.list(choices));
        return tags;
    }

    /**
     * The members 0..size-1 of a generation, or null while it is not complete. The loss is the first
     * objective made minimising; anything but a COMPLETED trial with a finite value ranks last.
     */
    static Member[] resolve(List<Observation> tagged, int size, int dimensions, int categoricals, Direction direction) {
        Observation[] chosen = new Observation[size];
        boolean[] running = new boolean[size];
        for (Observation o : tagged) {
            int k = (int) Json.asLong(o.tags().get(MEMBER), -1);
            if (k < 0 || k >= size) {
                continue;
            }
            if (!o.status().isFinished()) {
                running[k] = true;
            } else if (chosen[k] == null || (chosen[k].status() != TrialStatus.COMPLETED && o.status() == TrialStatus.COMPLETED)) {
                chosen[k] = o;
            }
        }
        var members = new Member[size];
        for (int k = 0; k < size; k++) {
            if (chosen[k] == null || (running[k] && chosen[k].status() != TrialStatus.COMPLETED)) {
                return null;
            }
            Observation o = chosen[k];
            double[] x = Json.doubles(o.tags().get(X), dimensions);
            int[] c = Json.ints(o.tags().get(CHOICES), categoricals);
            if (x == null || c == null) {
                return null;
            }
            double loss = o.status() == TrialStatus.COMPLETED && Double.isFinite(o.value())
                    ? direction.toLoss(o.value()) : Double.POSITIVE_INFINITY;
            members[k] = new Member(k, x, c, loss, o);
        }
        return members;
    }

    /** Members sorted best first; ties keep member order, so the ranking is deterministic. */
    static List<Member> ranked(Member[] members) {
        var out = new ArrayList<>(List.of(members));
        out.sort((a, b) -> a.loss() != b.loss() ? Double.compare(a.loss(), b.loss()) : Integer.compare(a.index(), b.index()));
        return out;
    }

    /** The tagged trials of the whole history by generation, for rebuilding a lost state by replay. */
    static final class Replay implements Source {
        private final TreeMap<Long, List<Observation>> byGeneration = new TreeMap<>();

        Replay(History history) {
            for (List<Observation> list : List.of(history.finished(), history.pending())) {
                for (Observation o : list) {
                    long g = Json.asLong(o.tags().get(GENERATION), -1);
                    if (g >= 0) {
                        byGeneration.computeIfAbsent(g, k -> new ArrayList<>()).add(o);
                    }
                }
            }
        }

        @Override
        public List<Observation> members(long generation) {
            return byGeneration.getOrDefault(generation, List.of());
        }

        /** Every generation that has trials, in increasing order, with its trials. */
        NavigableMap<Long, List<Observation>> generations() {
            return byGeneration;
        }
    }

    /**
     * Where handing out continues after the members that already exist from generation {@code from} on:
     * {generation, members of it already out}.
     */
    static long[] issuePosition(Source source, long from, int size) {
        long generation = from;
        long issued = 0;
        for (long g = from; ; g++) {
            List<Observation> members = source.members(g);
            if (members.isEmpty()) {
                break;
            }
            long distinct = members.stream().map(o -> Json.asLong(o.tags().get(MEMBER), -1)).distinct().count();
            generation = distinct >= size ? g + 1 : g;
            issued = distinct >= size ? 0 : distinct;
        }
        return new long[] {generation, issued};
    }

    static Direction direction(AskContext context) {
        return context.directions().isEmpty() ? Direction.MINIMIZE : context.directions().get(0);
    }
}
