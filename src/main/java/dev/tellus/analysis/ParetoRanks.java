package dev.tellus.analysis;

/** Which points no other point dominates (at least as good in every loss, strictly better in one). */
public final class ParetoRanks {

    private ParetoRanks() {
    }

    /**
     * For each point (losses: lower is better, one row per point), whether it is on the front. Points are
     * compared against the front found so far in order of their first loss, so the cost is n × front size.
     */
    public static boolean[] front(double[][] losses) {
        int n = losses.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            for (int k = 0; k < losses[a].length; k++) {
                int c = Double.compare(losses[a][k], losses[b][k]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        boolean[] onFront = new boolean[n];
        int[] front = new int[n];
        int size = 0;
        for (int idx : order) {
            boolean dominated = false;
            for (int j = 0; j < size; j++) {
                if (dominates(losses[front[j]], losses[idx])) {
                    dominated = true;
                    break;
                }
            }
            // A point sorted later can never dominate one sorted earlier, so the front only grows.
            if (!dominated) {
                front[size++] = idx;
                onFront[idx] = true;
            }
        }
        return onFront;
    }

    static boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int k = 0; k < a.length; k++) {
            if (a[k] > b[k]) {
                return false;
            }
            if (a[k] < b[k]) {
                better = true;
            }
        }
        return better;
    }
}
