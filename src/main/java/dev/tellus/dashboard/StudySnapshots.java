package dev.tellus.dashboard;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The finished trials of a study as columns (number, state, each objective's value), kept in memory per study and
 * brought up to date incrementally, so every summary of a 50,000-trial study reads them from memory instead of
 * scanning the study's rows once per chart.
 *
 * <p>Finished trials never change and trial numbers have no gaps, so a study's finished set is identified by its
 * {@link Stamp}: the next trial number and how many trials are open (waiting or running). Both come from the study
 * row and the small partial index of open trials. When the stamp moved, only trials numbered from the lowest
 * number that was open last time are read again (every trial below it was already finished and is kept).
 * Results derived from a snapshot (downsampled history, points, importance) are cached with it under the same
 * stamp.
 */
@Component
class StudySnapshots {

    static final byte COMPLETED = 0;
    static final byte PRUNED = 1;
    static final byte FAILED = 2;
    private static final int STUDIES = 32;
    /** Trial numbers per statement of the packed read (at most ~1 MB per row with one objective). */
    static final int CHUNK = 65_536;
    private final int chunk;

    /** What identifies a study's set of finished trials; {@code lowestOpen} is the lowest open number, or next. */
    record Stamp(long nextNumber, long waiting, long running, long lowestOpen) {
        long finished() {
            return nextNumber - waiting - running;
        }
    }

    /** Finished trials in number order; {@code values[j][i]} is objective j of trial i (NaN when missing). */
    static final class Snapshot {
        final Stamp stamp;
        final long[] numbers;
        final byte[] states;
        final double[][] values;
        final long completed;
        final long pruned;
        final long failed;
        private final Map<String, Object> derived = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
                return size() > 32;
            }
        };

        Snapshot(Stamp stamp, long[] numbers, byte[] states, double[][] values) {
            this.stamp = stamp;
            this.numbers = numbers;
            this.states = states;
            this.values = values;
            long c = 0;
            long p = 0;
            long f = 0;
            for (byte s : states) {
                switch (s) {
                    case COMPLETED -> c++;
                    case PRUNED -> p++;
                    default -> f++;
                }
            }
            completed = c;
            pruned = p;
            failed = f;
        }

        int size() {
            return numbers.length;
        }

        /** Counts by state, every state present, in the order the API uses. */
        Map<String, Long> counts() {
            var out = new LinkedHashMap<String, Long>();
            out.put("WAITING", stamp.waiting());
            out.put("RUNNING", stamp.running());
            out.put("COMPLETED", completed);
            out.put("PRUNED", pruned);
            out.put("FAILED", failed);
            return out;
        }

        /** A result computed from this snapshot, computed once per key. */
        @SuppressWarnings("unchecked")
        synchronized <T> T derive(String key, Function<Snapshot, T> compute) {
            Object cached = derived.get(key);
            if (cached == null) {
                cached = compute.apply(this);
                derived.put(key, cached);
            }
            return (T) cached;
        }
    }

    private final JdbcClient jdbc;
    private final Map<Long, Snapshot> snapshots = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Snapshot> eldest) {
            return size() > STUDIES;
        }
    };

    private final Object[] stripes = new Object[64];

    @Autowired
    StudySnapshots(JdbcClient jdbc) {
        this(jdbc, CHUNK);
    }

    /** With another number of trial numbers per statement (tests). */
    StudySnapshots(JdbcClient jdbc, int chunk) {
        this.jdbc = jdbc;
        this.chunk = chunk;
        Arrays.setAll(stripes, i -> new Object());
    }

    /** The study's stamp: one statement on the study row and the open-trials index. */
    Stamp stamp(long studyId) {
        return jdbc.sql("""
                        select (select next_number from study where id = :id) as next,
                               count(*) filter (where state = 'WAITING') as waiting,
                               count(*) filter (where state = 'RUNNING') as running,
                               min(number) as lowest
                        from trial where study_id = :id and state in ('WAITING', 'RUNNING')""")
                .param("id", studyId)
                .query((rs, i) -> {
                    long next = rs.getLong("next");
                    long lowest = rs.getLong("lowest");
                    return new Stamp(next, rs.getLong("waiting"), rs.getLong("running"), rs.wasNull() ? next : lowest);
                })
                .single();
    }

    /** The study's finished trials as of now, from memory when nothing finished since the last call. */
    Snapshot current(long studyId, int objectives) {
        // Concurrent requests for one study (the page asks for several summaries at once) share one read.
        synchronized (stripes[(int) Math.floorMod(studyId, (long) stripes.length)]) {
            return currentLocked(studyId, objectives);
        }
    }

    private Snapshot currentLocked(long studyId, int objectives) {
        Stamp stamp = stamp(studyId);
        Snapshot old;
        synchronized (snapshots) {
            old = snapshots.get(studyId);
        }
        if (old != null && old.stamp.equals(stamp) && old.values.length == objectives) {
            return old;
        }
        Snapshot fresh = read(studyId, objectives, stamp, old != null && old.values.length == objectives ? old : null);
        synchronized (snapshots) {
            Snapshot now = snapshots.get(studyId);
            // Keep whichever saw more: the finished set only grows.
            if (now == null || now.stamp.finished() <= fresh.stamp.finished()) {
                snapshots.put(studyId, fresh);
            }
        }
        return fresh;
    }

    /** Runs the packed read once against no study (start-up warm-up, see {@link DashboardWarmUp}). */
    void warmUp() {
        read(-1L, 1, new Stamp(1, 0, 0, 1), null);
        stamp(-1L);
    }

    /** Forgets a study (deleted, or for tests). */
    void forget(long studyId) {
        synchronized (snapshots) {
            snapshots.remove(studyId);
        }
    }

    private Snapshot read(long studyId, int m, Stamp stamp, Snapshot old) {
        // Every trial below the lowest number open at the old stamp was finished then and is in the old snapshot.
        long from = old == null ? 0 : old.stamp.lowestOpen();
        int keep = old == null ? 0 : lowerBound(old.numbers, from);
        var numbers = new LongList(Math.max(16, (int) Math.min(Integer.MAX_VALUE - 8, stamp.finished())));
        var states = new ByteList(numbers.capacity());
        var values = new DoubleList[m];
        for (int j = 0; j < m; j++) {
            values[j] = new DoubleList(numbers.capacity());
        }
        if (old != null) {
            numbers.addAll(old.numbers, keep);
            states.addAll(old.states, keep);
            for (int j = 0; j < m; j++) {
                values[j].addAll(old.values[j], keep);
            }
        }
        // The new finished trials as packed binary columns, one row per CHUNK trial numbers instead of one row per
        // trial: the numbers (8 bytes each), the states (1 byte each) and each objective's values (8 bytes each,
        // NaN when missing), packed by PostgreSQL in number order. Reading 50,000 rows through the driver costs
        // several times the SQL on a cold JVM; a packed column is decoded with one bulk copy.
        var sql = new StringBuilder("""
                select string_agg(int8send(number), ''::bytea),
                       string_agg(case state when 'COMPLETED' then '\\x00'::bytea when 'PRUNED' then '\\x01'::bytea
                                  else '\\x02'::bytea end, ''::bytea)""");
        for (int j = 1; j <= m; j++) {
            sql.append(",\n       string_agg(float8send(coalesce(objective_values[").append(j)
                    .append("], 'NaN'::float8)), ''::bytea)");
        }
        sql.append("""

                from (select number, state, objective_values from trial
                      where study_id = :id and number >= :from and number < :to
                        and state in ('COMPLETED', 'PRUNED', 'FAILED') order by number) finished""");
        for (long start = from; start < stamp.nextNumber(); start += chunk) {
            jdbc.sql(sql.toString())
                    .param("id", studyId).param("from", start).param("to", start + chunk)
                    .query(rs -> {
                        byte[] packedNumbers = rs.getBytes(1);
                        if (packedNumbers == null) {
                            return;
                        }
                        long[] n = new long[packedNumbers.length / 8];
                        ByteBuffer.wrap(packedNumbers).asLongBuffer().get(n);
                        byte[] st = rs.getBytes(2);
                        double[][] v = new double[m][n.length];
                        for (int j = 0; j < m; j++) {
                            ByteBuffer.wrap(rs.getBytes(3 + j)).asDoubleBuffer().get(v[j]);
                        }
                        // An aggregate over a sorted subquery keeps its order in practice, but SQL does not promise
                        // it: checked, and put in order when it was not.
                        int[] order = ordered(n);
                        for (int i : order) {
                            numbers.add(n[i]);
                            states.add(st[i]);
                            for (int j = 0; j < m; j++) {
                                values[j].add(v[j][i]);
                            }
                        }
                    });
        }
        double[][] columns = new double[m][];
        for (int j = 0; j < m; j++) {
            columns[j] = values[j].toArray();
        }
        return new Snapshot(stamp, numbers.toArray(), states.toArray(), columns);
    }

    /** The indices of {@code numbers} in increasing order of number (0, 1, 2, … when already in order). */
    static int[] ordered(long[] numbers) {
        boolean sorted = true;
        for (int i = 1; i < numbers.length && sorted; i++) {
            sorted = numbers[i - 1] < numbers[i];
        }
        if (sorted) {
            int[] identity = new int[numbers.length];
            Arrays.setAll(identity, i -> i);
            return identity;
        }
        return java.util.stream.IntStream.range(0, numbers.length).boxed()
                .sorted(java.util.Comparator.comparingLong(i -> numbers[i])).mapToInt(Integer::intValue).toArray();
    }

    private static int lowerBound(long[] sorted, long key) {
        int i = Arrays.binarySearch(sorted, key);
        return i >= 0 ? i : -i - 1;
    }

    private static final class LongList {
        private long[] a;
        private int n;

        LongList(int capacity) {
            a = new long[capacity];
        }

        int capacity() {
            return a.length;
        }

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        void addAll(long[] src, int count) {
            for (int i = 0; i < count; i++) {
                add(src[i]);
            }
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    private static final class ByteList {
        private byte[] a;
        private int n;

        ByteList(int capacity) {
            a = new byte[capacity];
        }

        void add(byte v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        void addAll(byte[] src, int count) {
            for (int i = 0; i < count; i++) {
                add(src[i]);
            }
        }

        byte[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    private static final class DoubleList {
        private double[] a;
        private int n;

        DoubleList(int capacity) {
            a = new double[capacity];
        }

        void add(double v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        void addAll(double[] src, int count) {
            for (int i = 0; i < count; i++) {
                add(src[i]);
            }
        }

        double[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
