package dev.tellus.trial;

import dev.tellus.strategy.Observation;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * This replica's copy of each study's finished trials, for strategies that learn from the history (TPE,
 * GP), so an ask does not re-read and re-parse the whole study. Each entry remembers a low-water mark: the
 * lowest trial number that was not settled when last read (every trial below it had finished for good).
 * A refresh reads only the rows from that mark on — the trials still open and those that finished after
 * the oldest open one — so it is correct whatever order results arrive in, on any replica. A failure by
 * lease expiry is not settled (a late tell may complete it), so it stays inside the refreshed window.
 */
@Component
class FinishedTrials {

    private static final int STUDIES = 256;

    private static final class StudyCache {
        final TreeMap<Long, Observation> finished = new TreeMap<>();
        long lowWater;
    }

    private final Map<Long, StudyCache> entries = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, StudyCache> eldest) {
            return size() > STUDIES;
        }
    });

    List<Observation> finished(DatabaseHistory history) {
        StudyCache entry = entries.computeIfAbsent(history.studyId(), id -> new StudyCache());
        synchronized (entry) {
            List<DatabaseHistory.Row> rows = history.from(entry.lowWater);
            Long firstUnsettled = null;
            for (DatabaseHistory.Row row : rows) {
                Observation o = row.observation();
                if (o.status().isFinished()) {
                    entry.finished.put(o.number(), o);
                } else {
                    entry.finished.remove(o.number());
                }
                if (firstUnsettled == null && !row.settled()) {
                    firstUnsettled = o.number();
                }
            }
            if (firstUnsettled != null) {
                entry.lowWater = firstUnsettled;
            } else if (!rows.isEmpty()) {
                entry.lowWater = rows.get(rows.size() - 1).observation().number() + 1;
            }
            return new ArrayList<>(entry.finished.values());
        }
    }
}
