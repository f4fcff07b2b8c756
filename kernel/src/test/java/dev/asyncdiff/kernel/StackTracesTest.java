package dev.asyncdiff.kernel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StackTracesTest {
    static final Map<String, SnippetOrigin> ORIGINS = Map.of("7", new SnippetOrigin("cell [3]", 4),
            "2", new SnippetOrigin("cell [1]", 1));

    static StackTraceElement frame(String cls, String method, String file, int line) {
        return new StackTraceElement(cls, method, file, line);
    }

    @Test
    void snippetFramesBecomeCellLinesAndTheMachineryBelowIsDropped() {
        StackTraceElement[] trace = {
                frame("dev.asyncdiff.Pipeline", "steps", "Pipeline.java", 104),
                frame("", "half", "#2", 3),
                frame("", "", "#7", 2),
                frame("jdk.internal.reflect.NativeMethodAccessorImpl", "invoke0", null, -2),
                frame("jdk.jshell.execution.DirectExecutionControl", "invoke", "DirectExecutionControl.java", 1)};
        assertEquals(List.of("  at dev.asyncdiff.Pipeline.steps(Pipeline.java:104)",
                        "  at half (cell [1], line 3)", "  at cell [3], line 5"),
                StackTraces.frames(trace, ORIGINS::get, 10));
    }

    @Test
    void aLongRunOfLibraryFramesIsCut() {
        List<StackTraceElement> trace = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            trace.add(frame("lib.Deep", "call" + i, "Deep.java", i));
        }
        trace.add(frame("", "", "#7", 1));
        List<String> lines = StackTraces.frames(trace.toArray(StackTraceElement[]::new), ORIGINS::get, 10);
        assertEquals(12, lines.size());
        assertEquals("  ... 5 more", lines.get(10));
        assertEquals("  at cell [3], line 4", lines.get(11));
    }

    @Test
    void lambdasInACellAreNamedSo() {
        StackTraceElement[] trace = {frame("", "lambda$do_it$$0", "#7", 3), frame("", "", "#7", 1)};
        assertEquals(List.of("  at lambda (cell [3], line 6)", "  at cell [3], line 4"),
                StackTraces.frames(trace, ORIGINS::get, 10));
    }
}
