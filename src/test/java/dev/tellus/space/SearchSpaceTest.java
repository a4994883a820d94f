package dev.tellus.space;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SearchSpaceTest {

    private static ParameterSpec floatSpec(Double low, Double high, Boolean log, Double step) {
        return new ParameterSpec("float", low, high, log, step, null, null);
    }

    private static ParameterSpec intSpec(Double low, Double high, Boolean log, Double step) {
        return new ParameterSpec("int", low, high, log, step, null, null);
    }

    private static ParameterSpec categorical(Object... choices) {
        return new ParameterSpec("categorical", null, null, null, null, List.of(choices), null);
    }

    private static List<FieldError> errorsOf(Map<String, ParameterSpec> specs) {
        try {
            SearchSpace.parse(specs);
        } catch (InvalidDefinition e) {
            return e.errors();
        }
        throw new AssertionError("expected the space to be refused");
    }

    /** The example space of API.md. */
    static SearchSpace apiExample() {
        var specs = new LinkedHashMap<String, ParameterSpec>();
        specs.put("lr", floatSpec(1e-5, 0.1, true, null));
        specs.put("layers", intSpec(1.0, 8.0, null, null));
        specs.put("dropout", floatSpec(0.0, 0.5, null, 0.05));
        specs.put("optimizer", categorical("adam", "sgd"));
        specs.put("momentum", new ParameterSpec("float", 0.5, 0.99, null, null, null, Map.of("optimizer", List.of("sgd"))));
        return SearchSpace.parse(specs);
    }

    @Test
    void theApiExampleParsesInOrderWithDefaults() {
        SearchSpace space = apiExample();
        assertThat(space.parameters()).extracting(Parameter::name).containsExactly("lr", "layers", "dropout", "optimizer", "momentum");
        assertThat(space.describe().get("layers")).isEqualTo(Map.of("type", "int", "low", 1L, "high", 8L, "log", false, "step", 1L));
    }

    @Test
    void eachBadFieldIsReportedPrecisely() {
        var specs = new LinkedHashMap<String, ParameterSpec>();
        specs.put("a", floatSpec(0.0, 1.0, true, null));
        specs.put("b", floatSpec(2.0, 1.0, null, null));
        specs.put("c", intSpec(1.5, 4.0, null, null));
        specs.put("d", intSpec(0.0, 10.0, true, null));
        specs.put("e", floatSpec(1.0, 2.0, true, 0.1));
        specs.put("f", categorical());
        specs.put("g", new ParameterSpec("double", 0.0, 1.0, null, null, null, null));
        specs.put("h", floatSpec(null, Double.POSITIVE_INFINITY, null, null));
        specs.put("i", categorical("x", "x"));
        specs.put("j", floatSpec(0.0, 1.0, null, 0.3));
        specs.put("bad name", floatSpec(0.0, 1.0, null, null));
        assertThat(errorsOf(specs)).containsExactlyInAnyOrder(
                new FieldError("space.a.low", "must be > 0 when log is true"),
                new FieldError("space.b.high", "must be greater than low"),
                new FieldError("space.c.low", "must be an integer"),
                new FieldError("space.d.low", "must be >= 1 when log is true"),
                new FieldError("space.e.step", "cannot be combined with log"),
                new FieldError("space.f.choices", "must list at least one choice"),
                new FieldError("space.g.type", "must be float, int or categorical, not 'double'"),
                new FieldError("space.h.low", "is required"),
                new FieldError("space.h.high", "must be a finite number"),
                new FieldError("space.i.choices[1]", "duplicates an earlier choice: x"),
                new FieldError("space.j.step", "high - low must be a whole multiple of step"),
                new FieldError("space.bad name", "parameter names must match [A-Za-z0-9._-]{1,128}"));
    }

    @Test
    void conditionsMustNameACategoricalAndItsChoicesWithoutCycles() {
        var specs = new LinkedHashMap<String, ParameterSpec>();
        specs.put("opt", categorical("adam", "sgd"));
        specs.put("n", intSpec(1.0, 3.0, null, null));
        specs.put("m", new ParameterSpec("float", 0.0, 1.0, null, null, null, Map.of("opt", List.of("rmsprop"))));
        specs.put("k", new ParameterSpec("float", 0.0, 1.0, null, null, null, Map.of("n", List.of(1))));
        specs.put("z", new ParameterSpec("float", 0.0, 1.0, null, null, null, Map.of("nothere", List.of(1))));
        assertThat(errorsOf(specs)).containsExactlyInAnyOrder(
                new FieldError("space.m.when.opt", "rmsprop is not a choice of 'opt'"),
                new FieldError("space.k.when.n", "must refer to a categorical parameter"),
                new FieldError("space.z.when.nothere", "refers to no parameter of this space"));

        var cyclic = new LinkedHashMap<String, ParameterSpec>();
        cyclic.put("a", new ParameterSpec("categorical", null, null, null, null, List.of("x"), Map.of("b", List.of("y"))));
        cyclic.put("b", new ParameterSpec("categorical", null, null, null, null, List.of("y"), Map.of("a", List.of("x"))));
        assertThat(errorsOf(cyclic)).extracting(FieldError::message).containsExactly("conditions form a cycle");
    }

    @Test
    void aChildMayBeDefinedBeforeItsParent() {
        var specs = new LinkedHashMap<String, ParameterSpec>();
        specs.put("momentum", new ParameterSpec("float", 0.5, 0.99, null, null, null, Map.of("optimizer", List.of("sgd"))));
        specs.put("optimizer", categorical("adam", "sgd"));
        SearchSpace space = SearchSpace.parse(specs);
        assertThat(space.evaluationOrder()).extracting(Parameter::name).containsExactly("optimizer", "momentum");
        assertThat(space.activeOnly(Map.of("momentum", 0.6, "optimizer", "adam"))).isEqualTo(Map.of("optimizer", "adam"));
    }

    @Test
    void assignmentsAreValidatedAndCanonicalised() {
        SearchSpace space = apiExample();
        var good = new HashMap<String, Object>(Map.of("lr", 0.001, "layers", 3, "dropout", 0.15000000001, "optimizer", "sgd", "momentum", 0.9));
        Map<String, Object> canonical = space.validateAssignment(good, "params");
        assertThat(canonical).containsExactly(
                Map.entry("lr", 0.001), Map.entry("layers", 3L), Map.entry("dropout", 0.15),
                Map.entry("optimizer", "sgd"), Map.entry("momentum", 0.9));

        var bad = new HashMap<String, Object>(Map.of("lr", 1.0, "layers", 2.5, "dropout", 0.12, "optimizer", "adam", "momentum", 0.9, "extra", 1));
        assertThatThrownBy(() -> space.validateAssignment(bad, "params"))
                .isInstanceOfSatisfying(InvalidDefinition.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("params.extra", "params.lr", "params.layers", "params.dropout", "params.momentum"));

        var missing = new HashMap<String, Object>(Map.of("lr", 0.001, "layers", 3, "dropout", 0.1, "optimizer", "sgd"));
        assertThatThrownBy(() -> space.validateAssignment(missing, "params"))
                .isInstanceOfSatisfying(InvalidDefinition.class, e -> assertThat(e.errors())
                        .containsExactly(new FieldError("params.momentum", "is required")));
    }

    @Test
    void unitEncodingRoundTripsEveryKind() {
        var f = new FloatParameter("f", -2.0, 6.0, false, null, Condition.ALWAYS);
        var lf = new FloatParameter("lf", 1e-5, 1e-1, true, null, Condition.ALWAYS);
        var sf = new FloatParameter("sf", 0.0, 0.5, false, 0.05, Condition.ALWAYS);
        var i = new IntParameter("i", -3, 7, false, 1, Condition.ALWAYS);
        var si = new IntParameter("si", 0, 100, false, 25, Condition.ALWAYS);
        var li = new IntParameter("li", 1, 1024, true, 1, Condition.ALWAYS);
        var c = new CategoricalParameter("c", List.of("a", "b", "c"), Condition.ALWAYS);
        assertThat((double) f.fromUnit(f.toUnit(1.25))).isCloseTo(1.25, within(1e-12));
        assertThat((double) lf.fromUnit(lf.toUnit(3e-4))).isCloseTo(3e-4, within(1e-15));
        assertThat(lf.toUnit(1e-3)).isCloseTo(0.5, within(1e-12));
        for (long k = 0; k < sf.cardinality(); k++) {
            assertThat(sf.fromUnit(sf.toUnit(sf.valueAt(k)))).isEqualTo(sf.valueAt(k));
        }
        for (long v = -3; v <= 7; v++) {
            assertThat(i.fromUnit(i.toUnit(v))).isEqualTo(v);
        }
        assertThat(si.cardinality()).isEqualTo(5);
        assertThat(si.fromUnit(0.99)).isEqualTo(100L);
        for (long v = 1; v <= 1024; v *= 2) {
            assertThat(li.fromUnit(li.toUnit(v))).isEqualTo(v);
        }
        assertThat(c.fromUnit(c.toUnit("b"))).isEqualTo("b");
        assertThat(f.fromUnit(Double.NaN)).isEqualTo(2.0);
        assertThat(f.fromUnit(7.0)).isEqualTo(6.0);
        assertThat(sf.valueAt(3)).isEqualTo(0.15);
    }

    @Test
    void choicesCompareNumbersByValueAndKeepTheirType() {
        var specs = new LinkedHashMap<String, ParameterSpec>();
        specs.put("c", categorical(1, "1", true));
        SearchSpace space = SearchSpace.parse(specs);
        assertThat(space.validateAssignment(Map.of("c", 1.0), "p")).isEqualTo(Map.of("c", 1L));
        assertThat(space.validateAssignment(Map.of("c", "1"), "p")).isEqualTo(Map.of("c", "1"));
        assertThat(errorsOf(Map.of("c", categorical(1, 1.0)))).extracting(FieldError::field).containsExactly("space.c.choices[1]");
    }

    @Test
    void limitsOnSizeAreEnforced() {
        var many = new LinkedHashMap<String, ParameterSpec>();
        for (int k = 0; k <= SearchSpace.MAX_PARAMETERS; k++) {
            many.put("p" + k, floatSpec(0.0, 1.0, null, null));
        }
        assertThat(errorsOf(many)).extracting(FieldError::field).containsExactly("space");
        assertThat(errorsOf(new LinkedHashMap<>())).extracting(FieldError::field).containsExactly("space");
    }
}
