package dev.asyncdiff.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Runs a resumable job in child processes and resumes it from its last checkpoint when a child dies of a native
 * crash. A safety net for long {@code train-base} runs: they used to die in glibc malloc (SIGSEGV/SIGABRT) every
 * 20–60 minutes here, from a use-after-free of gradient memory that {@code Adam} no longer commits, and native code
 * may hold other such faults; a resumed run replays the same steps, so a crash costs only the steps since the last
 * checkpoint.
 *
 * <p>Only a child killed by a crash signal is resumed. A normal exit (0, or 1/2 for failure and bad input) is the
 * job's answer; SIGINT/SIGTERM/SIGKILL mean somebody (a user, the OOM killer) stopped it, and it stays stopped.
 */
final class CrashResume {
    /** Exit codes (128 + signal) of SIGILL, SIGABRT (the JVM's abort after hs_err), SIGBUS, SIGFPE and SIGSEGV. */
    static final Set<Integer> CRASH_EXITS = Set.of(132, 134, 135, 136, 139);
    /** Below this many minutes left a restart would only load, checkpoint and export. */
    static final double MIN_MINUTES = 1.0;
    private static final List<String> SIGNALS_4_TO_11 = List.of("SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
            "SIGKILL", "SIGUSR1", "SIGSEGV");

    /** Starts one child: its whole budget in minutes and whether it resumes; returns its exit code. */
    interface Launcher {
        int run(double minutes, boolean resume) throws IOException, InterruptedException;
    }

    private final int maxRestarts;
    private final LongSupplier nanoTime;
    private final PrintStream log;

    CrashResume(int maxRestarts, LongSupplier nanoTime, PrintStream log) {
        this.maxRestarts = maxRestarts;
        this.nanoTime = nanoTime;
        this.log = log;
    }

    /**
     * Runs the job within {@code minutes} of wall clock, the first child resuming if {@code resume}; returns the
     * exit code of the last child.
     */
    int run(double minutes, boolean resume, Launcher launcher) throws IOException, InterruptedException {
        long start = nanoTime.getAsLong();
        int restarts = 0;
        boolean resuming = resume;
        while (true) {
            int exit = launcher.run(minutesLeft(minutes, start), resuming);
            if (!CRASH_EXITS.contains(exit)) {
                return exit;
            }
            double after = minutesLeft(minutes, start);
            if (restarts == maxRestarts || after < MIN_MINUTES) {
                log.printf("%nthe training JVM crashed (exit %d, %s); %s. Run again with --resume to continue from "
                        + "the last checkpoint.%n", exit, signalName(exit), restarts == maxRestarts
                        ? "no restarts left (--restarts " + maxRestarts + ")" : "no time left in --minutes");
                return exit;
            }
            restarts++;
            log.printf("%nthe training JVM crashed (exit %d, %s: a native crash); resuming from the last checkpoint "
                    + "(restart %d of at most %d, %.1f minutes left)%n", exit, signalName(exit), restarts, maxRestarts,
                    after);
            resuming = true;
        }
    }

    private double minutesLeft(double minutes, long start) {
        return minutes - (nanoTime.getAsLong() - start) / 60e9;
    }

    static String signalName(int exit) {
        int signal = exit - 128;
        return signal >= 4 && signal <= 11 ? SIGNALS_4_TO_11.get(signal - 4) : "signal " + signal;
    }
}
