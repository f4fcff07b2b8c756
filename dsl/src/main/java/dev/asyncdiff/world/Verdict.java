package dev.asyncdiff.world;

import java.util.List;

/** The oracle's judgement of one image against one caption: every check, and the objects it found. */
public record Verdict(List<Check> checks, List<Detection> detections) {

    public Verdict {
        checks = List.copyOf(checks);
        detections = List.copyOf(detections);
    }

    /** Whether every check passed: the image shows what the caption says. */
    public boolean satisfied() {
        return checks.stream().allMatch(Check::passed);
    }

    /** Whether every check of one kind passed; true when the caption states none. */
    public boolean passed(CheckKind kind) {
        return checks.stream().filter(c -> c.kind() == kind).allMatch(Check::passed);
    }

    /** The checks that failed. */
    public List<Check> failures() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }
}
