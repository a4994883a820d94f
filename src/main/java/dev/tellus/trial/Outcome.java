package dev.tellus.trial;

import java.util.Arrays;

/** What a worker tells about a trial: objective values, a failure with its reason, or a pruning. */
sealed interface Outcome {

    String NON_FINITE = "non-finite objective value";

    /** Objective values, and constraint values (null when the study declares none). */
    record Completed(double[] values, double[] constraints) implements Outcome {
        @Override
        public boolean equals(Object o) {
            return o instanceof Completed c && Arrays.equals(values, c.values) && Arrays.equals(constraints, c.constraints);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(values) + Arrays.hashCode(constraints);
        }
    }

    record Failed(String reason) implements Outcome {
    }

    record Pruned() implements Outcome {
    }

    /** Values as reported: a diverged run (NaN, ±Infinity, overflow) is a failure, not an error. */
    static Outcome ofValues(double[] values, double[] constraints) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return new Failed(NON_FINITE);
            }
        }
        return new Completed(values, constraints);
    }
}
