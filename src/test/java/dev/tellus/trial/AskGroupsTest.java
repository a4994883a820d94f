package dev.tellus.trial;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AskGroupsTest {

    @Test
    void concurrentAsksOfAStudyShareBatchesAndEachGetsItsOwnAnswer() throws Exception {
        var groups = new AskGroups<String>(200);
        var batchSizes = new ConcurrentLinkedQueue<Integer>();
        var running = new AtomicInteger();
        int threads = 16;
        int asks = 50;
        try (var pool = Executors.newFixedThreadPool(threads)) {
            var futures = new ArrayList<Future<List<String>>>();
            for (int t = 0; t < threads; t++) {
                String worker = "w" + t;
                futures.add(pool.submit(() -> {
                    var answers = new ArrayList<String>();
                    for (int i = 0; i < asks; i++) {
                        answers.add(groups.ask(1L, worker, 1 + i % 3, batch -> {
                            // One transaction at a time per study, as the row lock would enforce.
                            assertThat(running.incrementAndGet()).isEqualTo(1);
                            batchSizes.add(batch.size());
                            sleep();
                            running.decrementAndGet();
                            return batch.stream().map(r -> r.worker + ":" + r.count).toList();
                        }));
                    }
                    return answers;
                }));
            }
            for (int t = 0; t < threads; t++) {
                List<String> answers = futures.get(t).get();
                for (int i = 0; i < asks; i++) {
                    assertThat(answers.get(i)).isEqualTo("w" + t + ":" + (1 + i % 3));
                }
            }
        }
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads * asks);
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).max().orElseThrow()).isGreaterThan(1);
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).max().orElseThrow()).isLessThanOrEqualTo(threads);
    }

    @Test
    void aFailedBatchFailsEveryAskInItAndTheNextBatchRunsAfresh() {
        var groups = new AskGroups<String>(200);
        assertThatThrownBy(() -> groups.ask(2L, "w", 1, batch -> {
            throw new IllegalStateException("database gone");
        })).isInstanceOf(IllegalStateException.class).hasMessage("database gone");
        assertThat(groups.ask(2L, "w", 1, batch -> List.of("ok"))).isEqualTo("ok");
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
