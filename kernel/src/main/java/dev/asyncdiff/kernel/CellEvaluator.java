package dev.asyncdiff.kernel;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Evaluates cells with JShell on one dedicated thread. Every snippet, every completion and every magic runs on that
 * thread, so thread-confined state (DJL's grad mode, JShell itself) always sees the same thread; callers on other
 * threads wait for it.
 */
final class CellEvaluator implements AutoCloseable {
    /** How long an interrupted cell may take to reach a step boundary before it is stopped outright. */
    static final long STOP_GRACE_MS = 1500;
    static final String THREAD_NAME = "asyncdiff-eval";
    /** Throwaway snippets compiled after start-up while the kernel is idle. */
    static final int WARM_UP_SNIPPETS = 40;

    private final InProcessEngine engine = new InProcessEngine();
    private final ThreadPoolExecutor evalThread;
    private final ScheduledExecutorService watchdog;
    private final Magics magics = new Magics();
    private final Future<?> started;
    private final List<Path> classPath;
    private final AtomicLong cellCount = new AtomicLong();
    private volatile long runningCell;
    private volatile Thread thread;
    private volatile boolean interrupted;
    private volatile boolean blockingMagic;

    // Confined to the evaluation thread:
    private JShell shell;
    private final Map<String, SnippetOrigin> origins = new HashMap<>();

    /**
     * Starts the evaluation thread, which builds JShell on the class path and runs the start-up imports; cells
     * submitted meanwhile wait for it.
     */
    CellEvaluator(List<Path> classPath, List<String> startup) {
        this.classPath = new ArrayList<>(classPath);
        this.evalThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "asyncdiff-interrupt");
            t.setDaemon(true);
            return t;
        });
        this.started = evalThread.submit(() -> {
            shell = JShell.builder().executionEngine(engine.provider(), Map.of()).build();
            for (Path p : classPath) {
                shell.addToClasspath(p.toString());
            }
            for (String line : startup) {
                runCode(line, 1, "start-up");
            }
            return null;
        });
        evalThread.submit(this::warmUp);
    }

    /**
     * Warms the JIT up on the compiler while nothing else is asked of the kernel: throwaway snippets, dropped again,
     * until a cell is waiting. A trivial cell compiles in about half the time once javac is compiled.
     */
    private void warmUp() {
        for (int i = 0; shell != null && i < WARM_UP_SNIPPETS && evalThread.getQueue().isEmpty(); i++) {
            String snippet = i % 2 == 0 ? "1 + " + i
                    : "String warmUp" + i + " = java.util.List.of(" + i + ").toString();";
            for (SnippetEvent e : shell.eval(snippet)) {
                if (e.causeSnippet() == null) {
                    shell.drop(e.snippet());
                }
            }
        }
    }

    /** Blocks until start-up has finished; a start-up failure is rethrown. */
    void awaitStarted() throws CellFailure {
        try {
            started.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof CellFailure f ? f : CellFailure.thrown(e.getCause(), id -> null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CellFailure.interrupted(null, id -> null);
        }
    }

    /**
     * Evaluates a cell (Java code and magics) and returns the value of its last expression, if it ends in one.
     *
     * @param source how errors name the cell, e.g. "cell [3]"
     */
    CellResult evaluate(String cell, String source) throws CellFailure {
        long id = cellCount.incrementAndGet();
        return onEvalThread(() -> {
            interrupted = false;
            Thread.interrupted();
            runningCell = id;
            try {
                return runCell(cell, source);
            } finally {
                runningCell = 0;
                Thread.interrupted();
            }
        });
    }

    /**
     * Runs work on the evaluation thread (directly when already on it) and waits for its result. A CellFailure is
     * rethrown as it is; any other exception becomes a CellFailure.
     */
    <T> T onEvalThread(Callable<T> work) throws CellFailure {
        if (Thread.currentThread() == thread) {
            return call(work);
        }
        awaitStarted();
        Future<T> f = evalThread.submit(() -> call(work));
        while (true) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                // The shell thread is not the one to interrupt: cells are interrupted through interrupt().
            } catch (ExecutionException e) {
                throw e.getCause() instanceof CellFailure cf ? cf : CellFailure.thrown(e.getCause(), id -> null);
            }
        }
    }

    private <T> T call(Callable<T> work) throws CellFailure {
        try {
            return work.call();
        } catch (CellFailure f) {
            throw f;
        } catch (ThreadDeath stopped) {
            throw CellFailure.interrupted(stopped, this::origin);
        } catch (Exception | Error e) {
            // An Error too (say, OutOfMemoryError in a magic): the cell fails, the kernel lives on.
            throw CellFailure.thrown(e, this::origin);
        }
    }

    /** A cell's parts in order; evaluation thread only. */
    CellResult runCell(String cell, String source) throws Exception {
        CellResult last = CellResult.NONE;
        for (CellPart part : CellPart.parse(cell, this::isComplete)) {
            checkInterrupted(null);
            if (part instanceof CellPart.Code c) {
                last = runCode(c.text(), c.firstLine(), source);
            } else if (part instanceof CellPart.LineMagic m) {
                last = magics.runLine(this, m, source);
            } else if (part instanceof CellPart.CellMagic m) {
                last = magics.runCell(this, m, source);
            }
        }
        return last;
    }

    /**
     * Java code, snippet by snippet, stopping at the first error; the value of the last snippet when it is an
     * expression. Evaluation thread only.
     */
    CellResult runCode(String code, int firstLine, String source) throws CellFailure {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        CellResult result = CellResult.NONE;
        String remaining = code;
        int offset = 0;
        while (!remaining.isBlank()) {
            CompletionInfo info = analysis.analyzeCompletion(remaining);
            int consumed = remaining.length() - info.remaining().length();
            int start = offset + leadingSpace(remaining);
            SnippetOrigin origin = new SnippetOrigin(source, firstLine + lineBreaks(code, start));
            switch (info.completeness()) {
                case EMPTY:
                    return result;
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    throw CellFailure.incomplete(origin);
                default:
                    break;
            }
            // JShell keeps leading blank lines in a snippet's source but not in its line numbers: drop them.
            String snippet = (consumed > 0 ? info.source() : remaining).stripLeading();
            checkInterrupted(null);
            result = evalSnippet(snippet, origin);
            if (consumed <= 0) {
                break;
            }
            offset += consumed;
            remaining = info.remaining();
        }
        return result;
    }

    private CellResult evalSnippet(String source, SnippetOrigin origin) throws CellFailure {
        engine.takeValue();
        List<SnippetEvent> events = shell.eval(source);
        CellResult result = CellResult.NONE;
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue;
            }
            Snippet sn = e.snippet();
            origins.put(sn.id(), origin);
            if (e.status() == Snippet.Status.REJECTED) {
                List<Diag> errors = shell.diagnostics(sn).filter(Diag::isError).toList();
                throw CellFailure.compile(origin, sn.source(), errors);
            }
            if (e.exception() != null) {
                checkInterrupted(e.exception());
                throw CellFailure.thrown(e.exception(), this::origin);
            }
            checkInterrupted(null);
            if (e.status() == Snippet.Status.RECOVERABLE_DEFINED && sn instanceof DeclarationSnippet d) {
                System.err.println("note: " + d.name() + " is defined but cannot be used until "
                        + String.join(", ", shell.unresolvedDependencies(d).toList()) + " is declared");
            }
            result = isExpression(sn) ? CellResult.of(engine.takeValue()) : CellResult.NONE;
            if (sn.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                // JShell would keep every displayed value as $1, $2, … and import all of them into every later
                // compilation: memory held for good and compiles that slow down as a session grows.
                shell.drop(sn);
            }
        }
        return result;
    }

    private static boolean isExpression(Snippet sn) {
        return switch (sn.subKind()) {
            case TEMP_VAR_EXPRESSION_SUBKIND, VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND -> true;
            default -> false;
        };
    }

    private void checkInterrupted(Throwable cause) throws CellFailure {
        if (interrupted) {
            throw CellFailure.interrupted(cause, this::origin);
        }
    }

    /** Where a snippet came from, by its JShell id (null when unknown). */
    SnippetOrigin origin(String snippetId) {
        return origins.get(snippetId);
    }

    /** Whether a piece of Java has no open statement; evaluation thread only. */
    boolean isComplete(String code) {
        String remaining = code;
        while (!remaining.isBlank()) {
            CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(remaining);
            switch (info.completeness()) {
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE:
                    return false;
                case EMPTY:
                    return true;
                default:
                    break;
            }
            if (info.remaining().length() >= remaining.length()) {
                return true;
            }
            remaining = info.remaining();
        }
        return true;
    }

    /** Runs a query against JShell on the evaluation thread. */
    <T> T withShell(Function<JShell, T> query) throws CellFailure {
        return onEvalThread(() -> query.apply(shell));
    }

    /**
     * Stops the running cell: snippet code is interrupted at once (blocking calls and step callbacks notice) and
     * stopped outright if it is still running after {@link #STOP_GRACE_MS}. Without a running cell, nothing happens.
     */
    void interrupt() {
        long cell = runningCell;
        if (cell == 0) {
            return;
        }
        interrupted = true;
        engine.interrupt();
        Thread t = thread;
        if (blockingMagic && t != null) {
            t.interrupt();
        }
        watchdog.schedule(() -> {
            if (runningCell == cell && engine.running()) {
                engine.stop();
            }
        }, STOP_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    /** Runs a magic's blocking wait so that an interrupt reaches it; evaluation thread only. */
    <T> T interruptibly(Callable<T> work) throws Exception {
        blockingMagic = true;
        try {
            checkInterrupted(null);
            return work.call();
        } finally {
            blockingMagic = false;
        }
    }

    /** Adds a jar or class directory for later cells; evaluation thread only. */
    void addToClasspath(Path entry) {
        shell.addToClasspath(entry.toString());
        classPath.add(entry);
    }

    /** The class path cells compile against. */
    List<Path> classPath() {
        return List.copyOf(classPath);
    }

    Magics magics() {
        return magics;
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        evalThread.submit(() -> {
            if (shell != null) {
                shell.close();
            }
        });
        evalThread.shutdown();
    }

    private static int leadingSpace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int lineBreaks(String s, int end) {
        int n = 0;
        for (int i = 0; i < Math.min(end, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
