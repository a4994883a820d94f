package dev.tellus.trial;

import dev.tellus.history.Observation;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This replica's copy of each study's finished trials, for strategies that learn from the history (TPE,
 * GP), so an ask does not re-read and re-parse the whole study. Each entry remembers a low-water mark: the
 * lowest trial number that was still open when last read (every trial below it had finished). A refresh
 * reads only the rows from that mark on — the trials still open and those that finished after the oldest
 * open one — plus the few finished rows that may still change: failures by lease expiry, which a late tell
 * can complete. Those are kept in a small revisit set instead of holding the mark back, so one dead worker
 * does not make every later ask re-read the study from its trial on.
 */
@Component
class FinishedTrials {

    private static final int STUDIES = 256;

    private static final class StudyCache {
        /** In number order: new results almost always land at the end, so a copy is an array copy, not a tree walk. */
        final ArrayList<Observation> finished = new ArrayList<>();
        final java.util.Set<Long> revisit = new java.util.TreeSet<>();
        long lowWater;

        void put(Observation o) {
            int at = find(o.number());
            if (at >= 0) {
                finished.set(at, o);
            } else {
                finished.add(-at - 1, o);
            }
        }

        void remove(long number) {
            int at = find(number);
            if (at >= 0) {
                finished.remove(at);
            }
        }

        /** The index of the trial with this number, or (-(insertion point) - 1). */
        private int find(long number) {
            int n = finished.size();
            if (n == 0 || finished.get(n - 1).number() < number) {
                return -n - 1;
            }
            int lo = 0;
            int hi = n - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long at = finished.get(mid).number();
                if (at < number) {
                    lo = mid + 1;
                } else if (at > number) {
                    hi = mid - 1;
                } else {
                    return mid;
                }
            }
            return -lo - 1;
        }
    }

    private final Map<Long, StudyCache> entries = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, StudyCache> eldest) {
            return size() > STUDIES;
        }
    });

    /**
     * What one refresh read: the study's finished trials, and its open (WAITING or RUNNING) ones in number order.
     * Every open trial is numbered at or above the low-water mark (a trial is numbered when it is created, from the
     * study's counter, and a finished trial never opens again: a retry is a new trial), so the refresh reads them
     * all and an ask needs no second statement for them.
     */
    record Snapshot(List<Observation> finished, List<Observation> open) {
    }

    Snapshot snapshot(DatabaseHistory history) {
        StudyCache entry = entries.computeIfAbsent(history.studyId(), id -> new StudyCache());
        synchronized (entry) {
            List<DatabaseHistory.Row> rows = history.from(entry.lowWater, entry.revisit);
            Long firstOpen = null;
            long highest = entry.lowWater - 1;
            var open = new ArrayList<Observation>();
            for (DatabaseHistory.Row row : rows) {
                Observation o = row.observation();
                if (o.status().isFinished()) {
                    entry.put(o);
                } else {
                    open.add(o);
                    entry.remove(o.number());
                    if (firstOpen == null || o.number() < firstOpen) {
                        firstOpen = o.number();
                    }
                }
                if (o.status().isFinished() && !row.settled()) {
                    entry.revisit.add(o.number());
                } else {
                    entry.revisit.remove(o.number());
                }
                highest = Math.max(highest, o.number());
            }
            entry.lowWater = firstOpen != null ? firstOpen : highest + 1;
            return new Snapshot(List.copyOf(entry.finished), List.copyOf(open));
        }
    }

    /** Where the next refresh of a study starts reading (for tests). */
    long lowWater(long studyId) {
        StudyCache entry = entries.get(studyId);
        return entry == null ? 0 : entry.lowWater;
    }
}
