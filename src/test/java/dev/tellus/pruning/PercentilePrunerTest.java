package dev.tellus.pruning;

import java.util.Map;

class PercentilePrunerTest extends PrunerContractTest {

    @Override
    Pruner create() {
        return Pruners.create("percentile", Map.of("percentile", 30, "startupTrials", 3, "warmupSteps", 2));
    }

    @Override
    String name() {
        return "percentile";
    }
}
