package dev.asyncdiff.rl;

import java.util.List;
import java.util.Map;

/**
 * Told as {@link TpmTraining} runs: where it starts (a resumed run starts past 0) and one {@link Record} per
 * iteration, e.g. to write {@code log.csv} ({@link TrainingLog}), draw a terminal progress bar, or update a notebook's
 * live progress display and reward curve.
 */
public interface TrainingListener {
    /**
     * One iteration, as logged.
     *
     * @param total       the iterations the run goes to
     * @param grpo        what GRPO did: rewards, on-policy check, clip fraction, KLs, gradient norm, deviation, timings
     * @param rewardMeans each reward's mean over the group, by reward name, in the composite's order
     */
    record Record(int total, Grpo.Iteration grpo, Map<String, Double> rewardMeans) {
        public Record {
            rewardMeans = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rewardMeans));
        }
    }

    /** Before the first iteration: {@code done} iterations are behind (0 unless resumed), {@code total} the goal. */
    default void started(int done, int total) {
    }

    /** After every iteration. */
    void iteration(Record record);

    /** Tells each of {@code listeners} in turn. */
    static TrainingListener all(List<TrainingListener> listeners) {
        List<TrainingListener> copy = List.copyOf(listeners);
        return new TrainingListener() {
            @Override
            public void started(int done, int total) {
                copy.forEach(l -> l.started(done, total));
            }

            @Override
            public void iteration(Record record) {
                copy.forEach(l -> l.iteration(record));
            }
        };
    }
}
