package dev.asyncdiff.kernel;

import dev.asyncdiff.Pipeline;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.util.UUID;

/**
 * The functions every cell (and every {@code asyncdiff shell} script) can call without qualification: rich display,
 * in-place updates and progress bars.
 * <pre>{@code
 * String id = display(table);            // shows it; returns a display id
 * updateDisplay(id, table2);             // replaces that output
 * Pipeline.gmm(spec).onStep(progress(p, 400)).generate(prompts, 100);
 * training.run(200, false, trainingProgress(), System.err);   // a TpmTraining with a live reward curve
 * }</pre>
 */
public final class Notebook {
    private static volatile DisplaySink sink = new Console();

    private Notebook() {
    }

    /** Installs where displays go (the kernel does this on start). */
    static void use(DisplaySink s) {
        sink = s;
    }

    static DisplaySink sink() {
        return sink;
    }

    /** Shows a value as rich output now (images, tables, charts, trajectories …) and returns its display id. */
    public static String display(Object value) {
        return sink.display(value);
    }

    /** Replaces the output shown by {@link #display(Object)} under this id. */
    public static void updateDisplay(String id, Object value) {
        sink.update(id, value);
    }

    /**
     * A live progress bar for {@code totalSteps} sampler steps, to pass to {@code Pipeline.onStep}. It also makes the
     * sampling loop stop at the next step when the cell is interrupted.
     */
    public static Progress progress(long totalSteps) {
        return new Progress("sampling", totalSteps);
    }

    public static Progress progress(String label, long totalSteps) {
        return new Progress(label, totalSteps);
    }

    /** A progress bar sized for {@code pipeline} generating {@code samples} samples in all (prompts × n). */
    public static Progress progress(Pipeline pipeline, int samples) {
        long batches = (samples + pipeline.batchSize() - 1) / pipeline.batchSize();
        return new Progress(pipeline.backbone() + ", " + pipeline.steps() + " steps", batches * pipeline.steps());
    }

    /**
     * A live progress display and reward curve for TPM training: {@code training.run(iterations, resume,
     * trainingProgress(), System.err)}.
     */
    public static TrainingDisplay trainingProgress() {
        return new TrainingDisplay();
    }

    /** HTML to show as is. */
    public static DisplayData html(String html) {
        DisplayData d = new DisplayData(html.replaceAll("<[^>]*>", ""));
        d.putHTML(html);
        return d;
    }

    /** Markdown to show formatted. */
    public static DisplayData markdown(String markdown) {
        DisplayData d = new DisplayData(markdown);
        d.putMarkdown(markdown);
        return d;
    }

    /** Renders a value to a MIME bundle with the kernel's renderers. */
    static DisplayData render(Renderer renderer, Object value) {
        if (value instanceof DisplayData d) {
            DisplayData copy = new DisplayData();
            copy.assign(d);
            return copy;
        }
        return value == null ? new DisplayData("null") : renderer.render(value);
    }

    /** Scripts: displays print their text/plain form; updates are dropped. */
    private static final class Console implements DisplaySink {
        private final Renderer renderer = Renderers.create();

        @Override
        public String display(Object value) {
            Object text = render(renderer, value).getData(MIMEType.TEXT_PLAIN);
            System.out.println(text);
            return UUID.randomUUID().toString();
        }

        @Override
        public void update(String id, Object value) {
        }

        @Override
        public boolean live() {
            return false;
        }
    }
}
