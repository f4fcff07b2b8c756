package dev.asyncdiff.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Jupyter kernel: the protocol library's BaseKernel answering with JShell. Cells run on the evaluator's one
 * thread while the shell channel waits; interrupt_request arrives on the control channel and stops the running
 * cell at its next step boundary (or outright after a grace period).
 */
public final class AsyncdiffKernel extends BaseKernel implements DisplaySink {
    static final String NAME = "asyncdiff";

    /** What every cell can use without an import. */
    static final List<String> IMPORTS = List.of(
            "import java.io.*;", "import java.math.*;", "import java.nio.file.*;", "import java.util.*;",
            "import java.util.function.*;", "import java.util.stream.*;", "import java.awt.image.BufferedImage;",
            "import dev.asyncdiff.*;", "import dev.asyncdiff.policy.*;", "import dev.asyncdiff.sample.*;",
            "import dev.asyncdiff.schedule.*;", "import dev.asyncdiff.model.*;", "import dev.asyncdiff.model.gmm.*;",
            "import dev.asyncdiff.eval.*;", "import dev.asyncdiff.data.*;", "import dev.asyncdiff.reward.*;",
            "import dev.asyncdiff.asyndm.*;", "import static dev.asyncdiff.asyndm.ProgressSchedule.Kind.*;",
            "import tech.tablesaw.api.*;", "import org.knowm.xchart.*;",
            "import static dev.asyncdiff.kernel.Notebook.*;");

    private final CellEvaluator cells;
    private final CodeInsight insight;
    private final KernelIO kernelIO;

    AsyncdiffKernel(CellEvaluator cells) {
        this(cells, new KernelIO());
    }

    private AsyncdiffKernel(CellEvaluator cells, KernelIO io) {
        super(NAME, version(), languageInfo(),
                List.of(new HelpLink("Java 17 API", "https://docs.oracle.com/en/java/javase/17/docs/api/")),
                null, io, new CommManager(), rendererWithProjectTypes(),
                null, new MagicsRegistry(), false, new StringStyler.Builder().build());
        this.cells = cells;
        this.kernelIO = io;
        this.insight = new CodeInsight(cells);
    }

    private static Renderer rendererWithProjectTypes() {
        Renderer r = new Renderer();
        Renderers.registerAll(r);
        return r;
    }

    static String version() {
        String v = AsyncdiffKernel.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static LanguageInfo languageInfo() {
        return new LanguageInfo.Builder("java").version(System.getProperty("java.version"))
                .mimetype("text/x-java-source").fileExtension(".java").pygments("java").codemirror("text/x-java")
                .build();
    }

    @Override
    public void onStartup() {
        super.onStartup();
        Notebook.use(this);
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        cells.close();
        super.onShutdown(isRestarting);
    }

    /**
     * As the library's handler, but the error message carries the cell's own exception name, message and short
     * trace, and a silent request neither counts nor shows a result.
     */
    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        int count = request.isSilent() ? executionCount.get() : executionCount.getAndIncrement();
        env.setBusyDeferIdle();
        env.publish(new PublishExecuteInput(request.getCode(), count));
        replaceOutputStreams(env);
        kernelIO.attach(env, request.isStdinEnabled());
        env.defer(() -> kernelIO.detach(env));
        try {
            CellResult result = cells.evaluate(request.getCode(), "cell [" + count + "]");
            io.out.flush();
            io.err.flush();
            if (result.present() && !request.isSilent()) {
                env.publish(new PublishExecuteResult(count, Notebook.render(renderer, result.value())));
            }
            env.defer().reply(new ExecuteReply(count, Map.of()));
        } catch (CellFailure f) {
            replyError(env, count, f);
        } catch (RuntimeException renderingFailed) {
            replyError(env, count, CellFailure.thrown(renderingFailed, id -> null));
        }
    }

    private void replyError(ShellReplyEnvironment env, int count, CellFailure f) {
        io.out.flush();
        io.err.flush();
        env.publish(new PublishError(f.ename(), f.evalue(), f.traceback()));
        ErrorReply error = new ErrorReply(f.ename(), f.evalue(), f.traceback());
        error.setExecutionCount(count);
        env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), error);
    }

    @Override
    public Object evalRaw(String source) {
        if (Thread.currentThread().getName().equals(CellEvaluator.THREAD_NAME)) {
            throw new IllegalStateException("a cell cannot evaluate another cell while it runs; use %load instead");
        }
        try {
            CellResult r = cells.evaluate(source, "eval");
            return r.present() ? r.value() : null;
        } catch (CellFailure f) {
            throw new IllegalStateException(f.ename() + ": " + f.evalue());
        }
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        try {
            String text = insight.inspect(code, at, extraDetail);
            return text == null ? null : new DisplayData(text);
        } catch (CellFailure f) {
            return null;
        }
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        try {
            CodeInsight.Completion c = insight.complete(code, at);
            return new ReplacementOptions(c.candidates(), c.start(), c.end());
        } catch (CellFailure f) {
            return null;
        }
    }

    @Override
    public String isComplete(String code) {
        try {
            return insight.isComplete(code);
        } catch (CellFailure f) {
            return IS_COMPLETE_MAYBE;
        }
    }

    @Override
    public void interrupt() {
        cells.interrupt();
    }

    @Override
    public String display(Object value) {
        DisplayData data = Notebook.render(renderer, value);
        String id = data.hasDisplayId() ? data.getDisplayId() : UUID.randomUUID().toString();
        data.setDisplayId(id);
        io.display.display(data);
        return id;
    }

    @Override
    public void update(String id, Object value) {
        io.display.updateDisplay(id, Notebook.render(renderer, value));
    }

    @Override
    public boolean live() {
        return true;
    }
}
