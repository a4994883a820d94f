package dev.tellus.trial;

import java.util.Arrays;

/** What a worker tells about a trial: objective values, a failure with its reason, or a pruning. */
sealed interface Outcome {

    String NON_FINITE = "non-finite objective value";

    record Completed(double[] values) implements Outcome {
        @Override
        public boolean equals(Object o) {
            return o instanceof Completed c && Arrays.equals(values, c.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }

    record Failed(String reason) implements Outcome {
    }

    record Pruned() implements Outcome {
    }

    /** Values as reported: a diverged run (NaN, ±Infinity, overflow) is a failure, not an error. */
    static Outcome ofValues(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return new Failed(NON_FINITE);
            }
        }
        return new Completed(values);
    }
}
