package dev.asyncdiff.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The restart policy of {@link CrashResume}, with scripted children and a hand-driven clock. */
class CrashResumeTest {
    private final AtomicLong clock = new AtomicLong();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    /** A launcher whose children take {@code minutesEach} and exit with the given codes in turn. */
    private final class Script implements CrashResume.Launcher {
        final Deque<Integer> exits;
        final double minutesEach;
        final List<Double> budgets = new ArrayList<>();
        final List<Boolean> resumes = new ArrayList<>();

        Script(double minutesEach, Integer... exits) {
            this.exits = new ArrayDeque<>(List.of(exits));
            this.minutesEach = minutesEach;
        }

        @Override
        public int run(double minutes, boolean resume) {
            budgets.add(minutes);
            resumes.add(resume);
            clock.addAndGet((long) (minutesEach * 60e9));
            return exits.removeFirst();
        }
    }

    private int run(int maxRestarts, double minutes, boolean resume, Script script) throws Exception {
        return new CrashResume(maxRestarts, clock::get, new PrintStream(log, true)).run(minutes, resume, script);
    }

    @Test
    void crashedChildrenAreResumedWithWhatIsLeftOfTheBudgetUntilOneFinishes() throws Exception {
        Script s = new Script(10, 134, 139, 0);
        assertEquals(0, run(5, 100, false, s));
        assertEquals(List.of(false, true, true), s.resumes);
        assertEquals(List.of(100.0, 90.0, 80.0), s.budgets);
        assertTrue(log.toString().contains("exit 134, SIGABRT"), log.toString());
        assertTrue(log.toString().contains("exit 139, SIGSEGV"), log.toString());
        assertTrue(log.toString().contains("restart 2 of at most 5"), log.toString());
    }

    @Test
    void aResumedInvocationResumesFromItsFirstChild() throws Exception {
        Script s = new Script(1, 0);
        assertEquals(0, run(5, 100, true, s));
        assertEquals(List.of(true), s.resumes);
    }

    @ParameterizedTest(name = "exit {0}")
    @ValueSource(ints = {1, 2, 130, 137, 143})
    void failuresBadInputAndStopsByTheUserOrTheKernelAreNotRetried(int exit) throws Exception {
        Script s = new Script(1, exit, 0);
        assertEquals(exit, run(5, 100, false, s));
        assertEquals(1, s.budgets.size());
        assertEquals("", log.toString());
    }

    @Test
    void afterTheLastRestartTheCrashIsTheAnswerWithAHintToResume() throws Exception {
        Script s = new Script(1, 134, 134, 134);
        assertEquals(134, run(2, 100, false, s));
        assertEquals(3, s.budgets.size());
        String last = log.toString().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.contains("no restarts left (--restarts 2)") && last.contains("--resume"), last);
    }

    @Test
    void noChildIsStartedWithLessThanAMinuteLeft() throws Exception {
        Script s = new Script(9.5, 139, 0);
        assertEquals(139, run(5, 10, false, s));
        assertEquals(1, s.budgets.size());
        assertTrue(log.toString().contains("no time left in --minutes"), log.toString());
    }

    @Test
    void signalExitCodesAreNamed() {
        assertEquals("SIGSEGV", CrashResume.signalName(139));
        assertEquals("SIGABRT", CrashResume.signalName(134));
        assertEquals("signal 15", CrashResume.signalName(143));
    }
}
