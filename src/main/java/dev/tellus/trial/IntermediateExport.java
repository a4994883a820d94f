package dev.tellus.trial;

import dev.tellus.auth.Caller;
import dev.tellus.study.Study;
import dev.tellus.study.Studies;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * Every intermediate value of a study as long-format CSV ({@code number,step,value}, one row per report, in
 * trial then step order): {@code GET /api/v1/studies/{name}/trials/intermediate} with {@code Accept: text/csv}.
 */
@Service
class IntermediateExport {

    private final Studies studies;
    private final IntermediateValues intermediate;

    IntermediateExport(Studies studies, IntermediateValues intermediate) {
        this.studies = studies;
        this.intermediate = intermediate;
    }

    @Transactional(readOnly = true)
    public void write(long projectId, String name, HttpServletResponse response) throws IOException {
        // The study first: a missing one must still be answered as problem+json, before the CSV type is set.
        Study study = studies.find(projectId, name);
        response.setContentType("text/csv;charset=UTF-8");
        PrintWriter out = response.getWriter();
        out.print("number,step,value\r\n");
        intermediate.forEach(study.id(), row -> out.print(row.number() + "," + row.step() + "," + row.value() + "\r\n"));
        out.flush();
    }

    @RestController
    static class Endpoint {

        private final IntermediateExport export;

        Endpoint(IntermediateExport export) {
            this.export = export;
        }

        @GetMapping(value = "/api/v1/studies/{name}/trials/intermediate", produces = "text/csv")
        void csv(Caller caller, @PathVariable String name, HttpServletResponse response) throws IOException {
            export.write(caller.projectId(), name, response);
        }
    }
}
