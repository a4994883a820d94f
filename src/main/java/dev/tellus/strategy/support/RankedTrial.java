package dev.tellus.strategy.support;

import dev.tellus.history.Direction;
import dev.tellus.history.Observation;
import dev.tellus.strategy.AskContext;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A finished trial as model-based strategies rank it: its loss on the first objective (turned to "smaller is
 * better" by its {@link Direction}) and a tier. The rule for trials without a clean result: COMPLETED trials with
 * a finite value are tier 0; PRUNED trials are tier 1 (ranked after every completed trial, since they were stopped
 * for looking worse, and among themselves by their last intermediate value when they have one); COMPLETED trials
 * whose value is not finite and PRUNED trials without a value are tier 2, the worst. FAILED trials say nothing
 * about the objective and are left out.
 */
public record RankedTrial(Observation observation, int tier, double loss) {

    /** Best first: by tier, then loss, then trial number (so ties break the same way on every replica). */
    public static final Comparator<RankedTrial> BEST_FIRST = Comparator.comparingInt(RankedTrial::tier)
            .thenComparingDouble(RankedTrial::loss).thenComparingLong(t -> t.observation().number());

    /** The usable finished trials of the context's history, best first. */
    public static List<RankedTrial> bestFirst(AskContext context) {
        Direction direction = context.directions().isEmpty() ? Direction.MINIMIZE : context.directions().get(0);
        var out = new ArrayList<RankedTrial>();
        for (Observation o : context.history().finished()) {
            double loss = direction.toLoss(o.value());
            switch (o.status()) {
                case COMPLETED -> out.add(Double.isFinite(loss)
                        ? new RankedTrial(o, 0, loss) : new RankedTrial(o, 2, Double.POSITIVE_INFINITY));
                case PRUNED -> out.add(Double.isFinite(loss)
                        ? new RankedTrial(o, 1, loss) : new RankedTrial(o, 2, Double.POSITIVE_INFINITY));
                default -> {
                    // FAILED (or anything unfinished that slipped in): no information about the objective.
                }
            }
        }
        out.sort(BEST_FIRST);
        return out;
    }
}
