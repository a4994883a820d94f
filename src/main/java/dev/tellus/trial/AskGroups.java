package dev.tellus.trial;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Group commit of the asks of one study in this replica. Asks of a study are serialised by its row lock, and a
 * commit costs a disk flush: one transaction per ask caps a study at the database's single-row commit rate. Here
 * the asks that arrive while a transaction of their study runs wait for it to end, and the next transaction
 * serves all of them at once (one lock, one commit). Alone, an ask runs at once: batching costs nothing when
 * there is no contention.
 *
 * <p>One of the waiting request threads leads (runs the transaction); when its batch is done it hands the lead to
 * the oldest waiting request, so no thread serves others for longer than one batch.
 */
final class AskGroups<R> {

    /** One ask waiting for a batch: what it wants, and where its answer (or the lead) is delivered. */
    static final class Request<R> {
        final String worker;
        final int count;
        /** Completed with the answer, or with the lead (then replaced by a fresh future before the batch runs). */
        volatile CompletableFuture<Object> answer = new CompletableFuture<>();

        Request(String worker, int count) {
            this.worker = worker;
            this.count = count;
        }
    }

    private static final Object LEAD = new Object();

    private final class Study {
        final ConcurrentLinkedQueue<Request<R>> queue = new ConcurrentLinkedQueue<>();
        final AtomicBoolean led = new AtomicBoolean();
    }

    private final Map<Long, Study> studies = new ConcurrentHashMap<>();
    private final int maxTrialsPerBatch;

    AskGroups(int maxTrialsPerBatch) {
        this.maxTrialsPerBatch = maxTrialsPerBatch;
    }

    /**
     * The answer to one ask of the study. work runs one transaction for a batch of requests and returns their
     * answers in the same order; what it throws is thrown to every request of that batch.
     */
    R ask(long studyId, String worker, int count, Function<List<Request<R>>, List<R>> work) {
        Study study = studies.computeIfAbsent(studyId, id -> new Study());
        Request<R> request = new Request<>(worker, count);
        study.queue.add(request);
        if (!study.led.compareAndSet(false, true)) {
            Object answer = await(request);
            if (answer != LEAD) {
                return cast(answer);
            }
            // Handed the lead: this request is still queued and gets its answer from the batch it now runs.
            request.answer = new CompletableFuture<>();
        }
        // This thread leads: the request is still queued (only a leader removes requests).
        try {
            List<Request<R>> batch = drain(study.queue);
            try {
                List<R> answers = work.apply(batch);
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).answer.complete(answers.get(i));
                }
            } catch (RuntimeException | Error e) {
                batch.forEach(r -> r.answer.completeExceptionally(e));
            }
        } finally {
            handOver(study);
        }
        return cast(await(request));
    }

    private List<Request<R>> drain(ConcurrentLinkedQueue<Request<R>> queue) {
        var batch = new ArrayList<Request<R>>();
        int trials = 0;
        for (Request<R> next; (next = queue.peek()) != null; ) {
            if (!batch.isEmpty() && trials + next.count > maxTrialsPerBatch) {
                break;
            }
            batch.add(queue.poll());
            trials += next.count;
        }
        return batch;
    }

    /** Passes the lead to the oldest waiting request, or releases it when none waits. */
    private void handOver(Study study) {
        while (true) {
            study.led.set(false);
            // A request queued after this check finds the lead free and takes it itself.
            Request<R> next = study.queue.peek();
            if (next == null || !study.led.compareAndSet(false, true)) {
                return;
            }
            next = study.queue.peek();
            if (next != null) {
                next.answer.complete(LEAD);
                return;
            }
        }
    }

    private static Object await(Request<?> request) {
        try {
            return request.answer.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new CompletionException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an ask of the same study", e);
        }
    }

    @SuppressWarnings("unchecked")
    private R cast(Object answer) {
        return (R) answer;
    }
}
