package dev.tellus.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The dashboard's two pages. Both are static HTML from the jar; their modules read the JSON API in the browser,
 * so the pages themselves need no key (the JSON they fetch does).
 */
@Controller
class DashboardPages {

    @GetMapping("/")
    String studies() {
        return "forward:/dashboard/index.html";
    }

    @GetMapping("/studies/{name:[A-Za-z0-9._-]{1,128}}")
    String study(@PathVariable String name) {
        return "forward:/dashboard/study.html";
    }
}
