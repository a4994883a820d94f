package dev.tellus.dashboard;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Fills an existing study with many finished trials in a few SQL statements (the API would take minutes for
 * 50,000): a known function of lr (log), layers, dropout and optimizer, with a sgd-only momentum, about 6%
 * pruned and 3% failed trials, and learning curves for one trial in ten. Used by tests and the dashboard
 * benchmark; the study must have been created with {@link #SPACE}.
 */
public final class StudySeeder {

    /** The search space the seeded trials belong to. */
    public static final String SPACE = """
            {"lr": {"type": "float", "low": 1e-5, "high": 0.1, "log": true},
             "layers": {"type": "int", "low": 1, "high": 8},
             "dropout": {"type": "float", "low": 0, "high": 0.5},
             "optimizer": {"type": "categorical", "choices": ["adam", "sgd"]},
             "momentum": {"type": "float", "low": 0.5, "high": 0.99, "when": {"optimizer": ["sgd"]}}}""";

    /** A uniform number in [0, 1) hashed from the trial number and seed + k: the same seed, the same trials. */
    private static final String UNIFORM = "((hashint8extended(number, :seed + $1) & 1048575) / 1048576.0)";

    private StudySeeder() {
    }

    /** Adds n trials to a study of the project 'default' (numbers from its next number on); returns the first. */
    public static long seed(JdbcClient jdbc, String study, int n, long seed) {
        long id = jdbc.sql("""
                        select s.id from study s join project p on p.id = s.project_id
                        where p.name = 'default' and s.name = :name""")
                .param("name", study).query(Long.class).single();
        long first = jdbc.sql("update study set next_number = next_number + :n where id = :id returning next_number - :n")
                .param("n", n).param("id", id).query(Long.class).single();
        // loss = (log10 lr + 2.5)^2 / 4 + 0.05 |layers - 5| + 0.4 dropout (+0.1 for sgd) + noise, decreasing slowly
        // with the trial number, as a search that learns would.
        jdbc.sql("""
                insert into trial (study_id, number, state, params, objective_values, worker, reason, created_at,
                                   started_at, finished_at)
                select :id, g.number,
                       case when g.number % 17 = 3 then 'PRUNED' when g.number % 31 = 7 then 'FAILED' else 'COMPLETED' end,
                       case when g.opt = 'sgd'
                            then jsonb_build_object('lr', g.lr, 'layers', g.layers, 'dropout', g.dropout, 'optimizer', g.opt,
                                                    'momentum', g.momentum)
                            else jsonb_build_object('lr', g.lr, 'layers', g.layers, 'dropout', g.dropout, 'optimizer', g.opt)
                       end,
                       case when g.number % 17 = 3 or g.number % 31 = 7 then null
                            else array[(log(g.lr) + 2.5) ^ 2 / 4 + 0.05 * abs(g.layers - 5) + 0.4 * g.dropout
                                       + case when g.opt = 'sgd' then 0.1 else 0 end + 0.02 * g.noise
                                       + 0.3 / ln(g.number - :first + 2.0)]
                       end,
                       'seeder',
                       case when g.number % 31 = 7 and g.number % 17 <> 3 then 'CUDA out of memory' end,
                       now() - make_interval(secs => (:first + :n - g.number) * 2),
                       now() - make_interval(secs => (:first + :n - g.number) * 2),
                       now() - make_interval(secs => (:first + :n - g.number) * 2 - 1)
                from (select number, power(10, -5 + 4 * U0) as lr, 1 + floor(U1 * 8)::int as layers,
                             0.5 * U2 as dropout, case when U3 < 0.5 then 'adam' else 'sgd' end as opt,
                             0.5 + 0.49 * U4 as momentum, U5 - 0.5 as noise
                      from generate_series(:first, :first + :n - 1) as number) g""".replaceAll("U(\\d)", UNIFORM))
                .param("id", id).param("first", first).param("n", n).param("seed", seed).update();
        jdbc.sql("""
                insert into intermediate_value (study_id, number, step, value, recorded_at)
                select t.study_id, t.number, s.step,
                       coalesce(t.objective_values[1], 0.5) + 1.5 * exp(-s.step / 5.0), t.created_at
                from trial t cross join generate_series(1, 20) as s(step)
                where t.study_id = :id and t.number between :first and :first + :n - 1 and t.number % 10 = 0
                  and (t.state <> 'PRUNED' or s.step <= 5)""")
                .param("id", id).param("first", first).param("n", n).update();
        jdbc.sql("analyze trial").update();
        return first;
    }
}
