package dev.tellus;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The rule that keeps Tellus ready to shard by study on Citus (study id as the distribution column): every
 * statement on a per-study table carries an equality on the study id, so the database can route it to the one
 * shard that holds the study. Statements that are global by design are named in {@link #ALLOWED} with the reason.
 * {@link StatementRecorder} feeds it every statement the integration tests make the application issue.
 */
final class ShardingStatements {

    /** Tables whose rows belong to one study, distributed by study_id (co-located with study). */
    static final Set<String> PER_STUDY = Set.of("trial", "intermediate_value", "strategy_state", "idempotency_key");

    /** The distribution root: distributed by its id, co-located with the per-study tables. */
    static final String ROOT = "study";

    /**
     * Tables that are not per study, each with how it is placed on Citus. A statement on a table that is in none
     * of these sets fails the check: a new table must be classified (and, if per study, keyed by study_id).
     */
    static final Map<String, String> REFERENCE = Map.of(
            "project", "reference table: small, read on every authenticated request, referenced by study",
            "api_key", "reference table: small, looked up by secret hash on every authenticated request",
            "audit_event", "local table on the coordinator: append-only log of mutating requests, never joined with studies");

    /**
     * Global statements, each with why it may visit every shard. Matched against the normalised statement
     * (lower case, single spaces) with {@link String#contains}.
     */
    static final Map<String, String> ALLOWED = Map.ofEntries(
            Map.entry("select distinct study_id from trial where state = 'running' and lease_expires_at <",
                    "the lease reaper's scan for studies with expired leases: one pass every few seconds, each study "
                            + "then reaped by id"),
            Map.entry("from trial where study_id = any(",
                    "trial counts for a page of listed studies: one statement for the page instead of one per study"),
            Map.entry("delete from idempotency_key where created_at <",
                    "the retention sweep of idempotency keys, a background job"),
            Map.entry("select count(*) from trial where state = 'running'",
                    "the trials-running gauge, read at most every few seconds by the metrics scrape"),
            Map.entry("from trial where state = 'running' and study_id in (select id from study where project_id =",
                    "a project's running-trial quota: counts over all of the project's studies, only where a quota is set"),
            Map.entry("and t.finished_at is not null order by t.finished_at desc limit 1) f on true where s.project_id =",
                    "the dashboard's study list sorted by last activity: per study of one project, its latest trial "
                            + "and its latest finish, one index probe each (each lateral subquery stays on its "
                            + "study's shard); the page's counts are then the per-page statement above"));

    /**
     * A table after from/join/update/into: not a function such as jsonb_to_recordset(...), not a lock clause
     * (for update of t), not a catalog (information_schema.*, pg_catalog.*, which Hibernate reads at start).
     */
    private static final Pattern TABLE = Pattern.compile(
            "\\b(?<!for )(?<!key )(?:from|join|update|into)\\s+([a-z_]+)\\b(?!\\s*\\()(?!\\.)");
    private static final String NAME = "(?:[a-z0-9_]+\\.)?";
    /** A common table expression's name: with [recursive] name [(columns)] as ( ... ), name as ( ... ). */
    private static final Pattern CTE = Pattern.compile(
            "(?:\\bwith(?: recursive)?|,)\\s+([a-z_]+)\\s*(?:\\([a-z_, ]*\\))?\\s+as\\s*\\(");
    /** study_id = ? (or a literal), or a tuple of columns that includes study_id compared with parameters. */
    private static final Pattern STUDY_EQUALITY = Pattern.compile(
            "\\b" + NAME + "study_id\\s*=\\s*(?:\\?|\\$\\d+|\\d+)"
                    + "|\\(\\s*(?:" + NAME + "[a-z_]+\\s*,\\s*)*" + NAME + "study_id\\s*(?:,\\s*" + NAME + "[a-z_]+\\s*)*\\)"
                    + "\\s*(?:=|in)\\s*\\(\\(?\\s*\\?");
    private static final Pattern INSERT = Pattern.compile("^insert into ([a-z_]+)\\s*\\(([^)]*)\\)");
    /** The study table is the distribution root: its own id is the distribution column. */
    private static final Pattern STUDY_BY_ID = Pattern.compile("\\b" + NAME + "id\\s*=\\s*(?:\\?|\\$\\d+|\\d+)");

    private ShardingStatements() {
    }

    /** Why the statement could not be routed to one study's shard, or null when it can (or is allowed). */
    static String violation(String sql) {
        String s = normalise(sql);
        for (String allowed : ALLOWED.keySet()) {
            if (s.contains(allowed)) {
                return null;
            }
        }
        var insert = INSERT.matcher(s);
        if (insert.find()) {
            String table = insert.group(1);
            List<String> columns = List.of(insert.group(2).replace(" ", "").split(","));
            if (PER_STUDY.contains(table) && !columns.contains("study_id")) {
                return "insert into " + table + " without study_id";
            }
            if (!PER_STUDY.contains(table) && !ROOT.equals(table) && !REFERENCE.containsKey(table)) {
                return "table " + table + " is not classified (per study, the root, or a reference table)";
            }
            return null;
        }
        // Names a WITH clause defines are the statement's own (their bodies are checked like the rest of it).
        var defined = new java.util.HashSet<String>();
        var cte = CTE.matcher(s);
        while (cte.find()) {
            defined.add(cte.group(1));
        }
        var tables = TABLE.matcher(s);
        while (tables.find()) {
            String table = tables.group(1);
            if (defined.contains(table)) {
                continue;
            }
            if (PER_STUDY.contains(table) && !STUDY_EQUALITY.matcher(s).find()) {
                return "reads or writes " + table + " without an equality on study_id";
            }
            if (!PER_STUDY.contains(table) && !ROOT.equals(table) && !REFERENCE.containsKey(table)) {
                return "table " + table + " is not classified (per study, the root, or a reference table)";
            }
        }
        return null;
    }

    /** Statements on the study table that are not by id: lookups by name, listings. Reported, not failed. */
    static boolean studyByName(String sql) {
        String s = normalise(sql);
        var tables = TABLE.matcher(s);
        while (tables.find()) {
            if (tables.group(1).equals("study") && !STUDY_BY_ID.matcher(s).find() && !s.startsWith("insert")) {
                return true;
            }
        }
        return false;
    }

    static String normalise(String sql) {
        return sql.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
    }

    /** What the integration tests issued, collected across the test JVM. */
    static final Set<String> VIOLATIONS = ConcurrentHashMap.newKeySet();
    static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    /** The distinct statements checked so far, sorted, for the operations docs ("what was checked"). */
    static void writeSeen(java.nio.file.Path file) {
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.write(file, new java.util.TreeSet<>(SEEN));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void record(String sql) {
        String s = normalise(sql);
        if (!SEEN.add(s)) {
            return;
        }
        String why = violation(s);
        if (why != null) {
            VIOLATIONS.add(why + ": " + s);
        }
    }
}
