package dev.tellus.pruning;

import java.util.Map;

/** The {@code none} pruner: every trial runs to its end. */
final class NoPruner implements Pruner {

    @Override
    public boolean stopsTrials() {
        return false;
    }

    @Override
    public boolean judges(int bracket, long step) {
        return false;
    }

    @Override
    public boolean prune(Report report, double[] peerLosses) {
        return false;
    }

    @Override
    public Map<String, Object> options() {
        return Map.of();
    }
}
