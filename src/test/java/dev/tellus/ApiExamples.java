package dev.tellus;

/** The examples of the API reference (docs/api.md), verbatim, shared by the integration tests that replay them. */
public final class ApiExamples {

    private ApiExamples() {
    }

    /** The search space of the create example, as a JSON member ({@code "space": {...}}). */
    public static final String SPACE = """
            "space": {
                "lr":        {"type": "float", "low": 1e-5, "high": 0.1, "log": true},
                "layers":    {"type": "int", "low": 1, "high": 8},
                "dropout":   {"type": "float", "low": 0.0, "high": 0.5, "step": 0.05},
                "optimizer": {"type": "categorical", "choices": ["adam", "sgd"]},
                "momentum":  {"type": "float", "low": 0.5, "high": 0.99, "when": {"optimizer": ["sgd"]}}
            }""";

    /** The whole create example: {@code PUT /api/v1/studies/{name}}. */
    public static final String CREATE = """
            {
            %s,
              "objectives": [{"name": "loss", "direction": "minimize"}],
              "strategy": {"name": "tpe", "seed": 42, "options": {}},
              "pruner": {"name": "none"},
              "maxTrials": 200,
              "leaseSeconds": 600,
              "maxRetries": 0,
              "metadata": {"owner": "team-vision"}
            }""".formatted(SPACE);
}
