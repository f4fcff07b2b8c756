package dev.asyncdiff.kernel;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.Method;
import java.util.Map;

/**
 * JShell's execution engine for the kernel: snippets run in this JVM, on the thread that calls {@code JShell.eval}
 * (the kernel's one evaluation thread), and the value of the last snippet is kept as a live object for rich display
 * rather than turned into a string. JShell's own local engine would start a new thread per snippet, which breaks
 * thread-confined state such as DJL's grad mode.
 */
final class InProcessEngine extends DirectExecutionControl {
    private final Object stopLock = new Object();
    private Thread userThread;
    private boolean stopRequested;
    private Object lastValue;

    /** A provider handing JShell this engine. */
    ExecutionControlProvider provider() {
        InProcessEngine engine = this;
        return new ExecutionControlProvider() {
            @Override
            public String name() {
                return "asyncdiff-in-process";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return engine;
            }
        };
    }

    /** The value the last executed snippet produced (null for none), and forget it. */
    Object takeValue() {
        Object v = lastValue;
        lastValue = null;
        return v;
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        lastValue = doit.invoke(null);
        return "";
    }

    @Override
    protected void clientCodeEnter() {
        synchronized (stopLock) {
            userThread = Thread.currentThread();
            stopRequested = false;
        }
    }

    @Override
    protected void clientCodeLeave() {
        synchronized (stopLock) {
            userThread = null;
        }
    }

    /** True while snippet code runs. */
    boolean running() {
        synchronized (stopLock) {
            return userThread != null;
        }
    }

    /**
     * Asks running snippet code to stop: interrupts the evaluation thread, which blocking calls and step callbacks
     * notice.
     */
    void interrupt() {
        synchronized (stopLock) {
            if (userThread != null) {
                stopRequested = true;
                userThread.interrupt();
            }
        }
    }

    /**
     * Stops running snippet code that ignored {@link #interrupt()}, as JShell's own local engine does: an
     * asynchronous ThreadDeath, turned into a StoppedException when it reaches this engine. Where the JVM no longer
     * supports Thread.stop (Java 20 and later) this can only interrupt again.
     */
    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public void stop() {
        synchronized (stopLock) {
            if (userThread == null) {
                return;
            }
            stopRequested = true;
            try {
                userThread.stop();
            } catch (UnsupportedOperationException e) {
                userThread.interrupt();
            }
        }
    }

    @Override
    protected String throwConvertedInvocationException(Throwable cause) throws RunException, InternalException {
        throwIfStopped(cause);
        return super.throwConvertedInvocationException(cause);
    }

    @Override
    protected String throwConvertedOtherException(Throwable ex) throws RunException, InternalException {
        throwIfStopped(ex);
        return super.throwConvertedOtherException(ex);
    }

    @SuppressWarnings("removal")
    private void throwIfStopped(Throwable t) throws StoppedException {
        boolean stopped;
        synchronized (stopLock) {
            stopped = stopRequested && t instanceof ThreadDeath;
        }
        if (stopped) {
            throw new StoppedException();
        }
    }
}
