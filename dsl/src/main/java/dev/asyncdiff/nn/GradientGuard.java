package dev.asyncdiff.nn;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides which gradients {@link Adam#update(float, double, double)} may apply, and watches what it returns. Two
 * kinds are skipped and their step retried with the same batch: a non-finite gradient norm, and a spike, a norm over
 * {@value #SPIKE} times the median of the last {@value #WINDOW} applied ones (once {@value #MIN_HISTORY} are known).
 * Both were seen when backward read freed memory (2 of 100 resumed 80-step test runs had gradient norms of 1.2e4 and
 * 9.7e13 where about 1 was due): DJL's scalar operations, fixed by {@link Ops#scaled} and {@link NativeData}. The guard
 * stays as a net for faults of that kind; the retry recomputes the step, which is then the step of an undisturbed
 * run. A spike that repeats on the retry is genuine and is applied (clipped as usual); too many non-finite norms in a
 * row mean training diverged, and it stops with a message rather than spin.
 */
public final class GradientGuard {
    public static final int MAX_IN_A_ROW = 20;
    static final double SPIKE = 1000;
    static final int WINDOW = 50;
    static final int MIN_HISTORY = 5;

    private final PrintStream log;
    private final Deque<Double> recent = new ArrayDeque<>();
    private int inARow;
    private long skipped;
    private long spikeStep = -1;

    public GradientGuard(PrintStream log) {
        this.log = log;
    }

    /**
     * One guarded update: {@code adam} applies the gradients of {@code step} unless they are non-finite or a spike
     * ({@link #limit}); the outcome is then {@link #check}ed. A skipped step leaves Adam's step count where it was,
     * so the caller's loop computes it again.
     */
    public void update(Adam adam, float lr, double clipNorm, long step) {
        double limit = limit(step);
        check(adam.update(lr, clipNorm, limit), limit, step);
    }

    /** The largest gradient norm the update of {@code step} may apply (infinite on the retry of a spike). */
    public double limit(long step) {
        if (step == spikeStep || recent.size() < MIN_HISTORY) {
            return Double.POSITIVE_INFINITY;
        }
        double[] sorted = recent.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return SPIKE * sorted[sorted.length / 2];
    }

    /**
     * Takes the norm that {@link Adam#update(float, double, double)} returned for {@code step} under {@code limit}:
     * remembers an applied one, logs a skipped one, and throws after {@value #MAX_IN_A_ROW} non-finite in a row.
     */
    public void check(double gradientNorm, double limit, long step) {
        if (Double.isFinite(gradientNorm) && gradientNorm <= limit) {
            inARow = 0;
            recent.addLast(gradientNorm);
            if (recent.size() > WINDOW) {
                recent.removeFirst();
            }
            return;
        }
        skipped++;
        if (Double.isFinite(gradientNorm)) {
            spikeStep = step;
            log.printf("%nstep %d: gradient norm %.3g is over %.0f times the recent median (limit %.3g); update "
                    + "skipped, step recomputed (%d skipped so far)%n", step, gradientNorm, SPIKE, limit, skipped);
            return;
        }
        inARow++;
        log.printf("%nstep %d: non-finite gradient norm (%s); update skipped, retrying (%d skipped so far)%n", step,
                gradientNorm, skipped);
        if (inARow >= MAX_IN_A_ROW) {
            throw new IllegalStateException("training diverged: " + MAX_IN_A_ROW + " non-finite gradients in a row at "
                    + "step " + step + "; lower --lr or resume from the last checkpoint");
        }
    }
}
