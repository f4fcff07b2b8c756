package dev.asyncdiff.kernel;

import dev.asyncdiff.sample.StepCallback;
import dev.asyncdiff.sample.StepEvent;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * A step callback that shows a progress bar updated in place (at most every {@link #MIN_UPDATE_MS} ms and at the
 * end) and ends sampling with a CancellationException at the first step after the cell is interrupted. In a script
 * it prints one line when done.
 */
public final class Progress implements StepCallback {
    static final long MIN_UPDATE_MS = 100;

    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private long done;
    private long lastShown;
    private String displayId;

    Progress(String label, long total) {
        if (total < 1) {
            throw new IllegalArgumentException("a progress bar needs at least one step (got " + total + ")");
        }
        this.label = label;
        this.total = total;
    }

    @Override
    public boolean onStep(StepEvent event) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("sampling interrupted after step " + event.k() + " of " + event.steps());
        }
        done++;
        DisplaySink sink = Notebook.sink();
        long now = System.nanoTime();
        if (!sink.live()) {
            if (done == total) {
                System.err.println(text());
            }
        } else if (displayId == null) {
            displayId = sink.display(view());
            lastShown = now;
        } else if (done >= total || now - lastShown >= MIN_UPDATE_MS * 1_000_000) {
            sink.update(displayId, view());
            lastShown = now;
        }
        return true;
    }

    /** Steps seen so far. */
    public long done() {
        return done;
    }

    private DisplayData view() {
        DisplayData d = new DisplayData(text());
        d.putHTML("<div><progress value=\"" + Math.min(done, total) + "\" max=\"" + total
                + "\" style=\"width:40em\"></progress> " + HtmlTable.escape(text()) + "</div>");
        return d;
    }

    private String text() {
        double elapsed = (System.nanoTime() - start) / 1e9;
        String tail = done >= total ? String.format(Locale.ROOT, "done in %.1f s", elapsed)
                : String.format(Locale.ROOT, "%.1f s, about %.1f s left", elapsed, elapsed / done * (total - done));
        return String.format(Locale.ROOT, "%s: %d/%d steps (%d%%), %s", label, Math.min(done, total), total,
                100 * Math.min(done, total) / total, tail);
    }
}
