package dev.asyncdiff.nn;

import java.io.PrintStream;

/**
 * Watches the gradient norms returned by {@link Adam#update}: a non-finite norm (a skipped update) is logged and
 * the same step is retried with the same batch; too many in a row mean training itself diverged, and it stops with
 * a message rather than spin.
 */
public final class NonFiniteGuard {
    public static final int MAX_IN_A_ROW = 20;

    private final PrintStream log;
    private int inARow;
    private long total;

    public NonFiniteGuard(PrintStream log) {
        this.log = log;
    }

    public void check(double gradientNorm, long step) {
        if (Double.isFinite(gradientNorm)) {
            inARow = 0;
            return;
        }
        inARow++;
        total++;
        log.printf("%nstep %d: non-finite gradient norm (%s); update skipped, retrying (%d skipped so far)%n", step,
                gradientNorm, total);
        if (inARow >= MAX_IN_A_ROW) {
            throw new IllegalStateException("training diverged: " + MAX_IN_A_ROW + " non-finite gradients in a row at "
                    + "step " + step + "; lower --lr or resume from the last checkpoint");
        }
    }
}
