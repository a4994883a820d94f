package dev.tellus.trial;

import dev.tellus.space.Parameter;
import dev.tellus.study.Objective;
import dev.tellus.study.StudyDefinition;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Trials as CSV (RFC 4180): number, state, one column per parameter, one per objective, one per constraint, then
 * the rest.
 */
final class TrialCsv {

    private final StudyDefinition definition;

    TrialCsv(StudyDefinition definition) {
        this.definition = definition;
    }

    void header(PrintWriter out) {
        var cells = new ArrayList<String>();
        cells.add("number");
        cells.add("state");
        for (Parameter p : definition.space().parameters()) {
            cells.add(p.name());
        }
        for (Objective o : definition.objectives()) {
            cells.add(o.name());
        }
        cells.addAll(definition.constraints());
        cells.addAll(List.of("worker", "createdAt", "startedAt", "finishedAt", "reason"));
        line(out, cells);
    }

    void rows(PrintWriter out, List<TrialResponse> trials) {
        for (TrialResponse t : trials) {
            var cells = new ArrayList<String>();
            cells.add(String.valueOf(t.number()));
            cells.add(t.state().name());
            for (Parameter p : definition.space().parameters()) {
                Object v = t.params().get(p.name());
                cells.add(v == null ? "" : String.valueOf(v));
            }
            for (int i = 0; i < definition.objectives().size(); i++) {
                cells.add(t.values() == null ? "" : String.valueOf(t.values().get(i)));
            }
            for (int i = 0; i < definition.constraints().size(); i++) {
                cells.add(t.constraints() == null ? "" : String.valueOf(t.constraints().get(i)));
            }
            cells.add(t.worker() == null ? "" : t.worker());
            cells.add(t.createdAt() == null ? "" : t.createdAt().toString());
            cells.add(t.startedAt() == null ? "" : t.startedAt().toString());
            cells.add(t.finishedAt() == null ? "" : t.finishedAt().toString());
            cells.add(t.reason() == null ? "" : t.reason());
            line(out, cells);
        }
    }

    private static void line(PrintWriter out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.print(',');
            }
            out.print(escape(cells.get(i)));
        }
        out.print("\r\n");
    }

    static String escape(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
