package dev.tellus.dashboard;

import dev.tellus.IntegrationTest;
import dev.tellus.history.Direction;
import dev.tellus.study.Objective;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-study snapshot of finished trials brought up to date incrementally is the snapshot a full read gives on
 * the same trials, and so is every summary derived from it (the history keeps every improvement of the best).
 */
class StudySnapshotsIT extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StudySnapshots snapshots;

    @Test
    void anIncrementalSnapshotEqualsAFullReadOfTheSameTrials() {
        String name = unique("snap");
        http().put("/api/v1/studies/" + name, """
                {"space": %s, "objectives": [{"name": "loss", "direction": "minimize"}, {"name": "cost"}]}"""
                .formatted(StudySeeder.SPACE));
        StudySeeder.seed(jdbc, name, 3000, 21);
        long id = jdbc.sql("select id from study where name = :n").param("n", name).query(Long.class).single();
        // Some trials still open in the middle and near the end: the snapshot holds only the finished ones.
        jdbc.sql("""
                update trial set state = case when number % 2 = 0 then 'RUNNING' else 'WAITING' end,
                       objective_values = null, finished_at = null
                where study_id = :id and (number between 100 and 120 or number between 2990 and 2999)""")
                .param("id", id).update();

        StudySnapshots.Snapshot before = snapshots.current(id, 2);
        assertThat(before.size()).isEqualTo(3000 - 31);
        assertThat(before.stamp.lowestOpen()).isEqualTo(100);
        assertThat(before.counts()).containsEntry("RUNNING", 16L).containsEntry("WAITING", 15L);

        // The open trials finish (one of them, in the middle, with a new best), and more trials finish after them.
        jdbc.sql("""
                update trial set state = 'COMPLETED', objective_values = array[0.5 + number / 10000.0, number]::float8[],
                       finished_at = now()
                where study_id = :id and (number between 100 and 120 or number between 2990 and 2999)""")
                .param("id", id).update();
        jdbc.sql("update trial set objective_values = array[-5.0, 1.0]::float8[] where study_id = :id and number = 110")
                .param("id", id).update();
        StudySeeder.seed(jdbc, name, 700, 22);
        jdbc.sql("update trial set objective_values = array[-7.0, 2.0]::float8[] where study_id = :id and number = 3500")
                .param("id", id).update();

        StudySnapshots.Snapshot incremental = snapshots.current(id, 2);
        StudySnapshots.Snapshot full = new StudySnapshots(jdbc).current(id, 2);
        assertThat(incremental).isNotSameAs(before);
        assertThat(incremental.stamp).isEqualTo(full.stamp);
        assertThat(incremental.numbers).isEqualTo(full.numbers).hasSize(3700);
        assertThat(incremental.states).isEqualTo(full.states);
        assertThat(incremental.values[0]).isEqualTo(full.values[0]);
        assertThat(incremental.values[1]).isEqualTo(full.values[1]);
        assertThat(incremental.counts()).isEqualTo(full.counts());
        // Read in many statements of 1,000 trial numbers (50,000+ trials take several of the default 65,536).
        StudySnapshots.Snapshot chunked = new StudySnapshots(jdbc, 1000).current(id, 2);
        assertThat(chunked.numbers).isEqualTo(full.numbers);
        assertThat(chunked.states).isEqualTo(full.states);
        assertThat(chunked.values[0]).isEqualTo(full.values[0]);
        assertThat(chunked.values[1]).isEqualTo(full.values[1]);

        // What the database holds, row by row.
        List<Long> numbers = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        jdbc.sql("select number, objective_values[1] from trial where study_id = :id and state = 'COMPLETED' order by number")
                .param("id", id).query(rs -> {
                    numbers.add(rs.getLong(1));
                    losses.add(rs.getDouble(2));
                });
        assertThat(incremental.completed).isEqualTo(numbers.size());

        // The history derived from each is the same, and keeps every improvement of the best so far.
        var loss = new Objective("loss", Direction.MINIMIZE);
        Summaries.History fromIncremental = StudyAnalysis.history(incremental, loss, 0, 500);
        Summaries.History fromFull = StudyAnalysis.history(full, loss, 0, 500);
        assertThat(fromIncremental).isEqualTo(fromFull);
        assertThat(fromIncremental.downsampled()).isTrue();
        var improvements = new ArrayList<Long>();
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < numbers.size(); i++) {
            if (losses.get(i) < best) {
                best = losses.get(i);
                improvements.add(numbers.get(i));
            }
        }
        assertThat(improvements).contains(110L, 3500L);
        assertThat(fromIncremental.numbers()).containsAll(improvements);
    }

    @Test
    void numbersOutOfOrderAreSorted() {
        assertThat(StudySnapshots.ordered(new long[]{4, 7, 9})).containsExactly(0, 1, 2);
        assertThat(StudySnapshots.ordered(new long[]{9, 4, 7})).containsExactly(1, 2, 0);
        assertThat(StudySnapshots.ordered(new long[0])).isEmpty();
    }
}
