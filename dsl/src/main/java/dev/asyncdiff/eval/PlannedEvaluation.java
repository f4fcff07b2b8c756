package dev.asyncdiff.eval;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.reward.Reward;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation that {@code reproduce} runs, in the folder {@code name} under its output: a prompt set (and the
 * paper's set it stands for), samples per prompt, step counts and methods, and for each artefact it makes, the file
 * names (prefixes, relative to its folder) that hold that artefact.
 *
 * @param standsFor the paper's prompt set these prompts stand for, or empty when they are that set
 * @param note what a reader must know to read the result, e.g. which rows stand in for policies not trained yet
 */
public record PlannedEvaluation(String name, String prompts, String standsFor, int n, List<Integer> steps,
                                List<Method> methods, String note, Map<Artefact, List<String>> files) {
    public PlannedEvaluation {
        steps = List.copyOf(steps);
        methods = List.copyOf(methods);
        files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** The table's title: the prompts, what they stand for (unless they are the paper's own), the note. */
    public String title() {
        return prompts + (standsFor.isEmpty() ? "" : " (standing in for " + standsFor + ")") + ", " + n
                + " per prompt. " + note;
    }

    /**
     * Opens (or resumes) this evaluation in {@code root/name} on {@code base}'s backbone, grid, guidance and seed.
     *
     * @param weights how the backbone's weights are named in the config ({@code shipped} or a folder)
     */
    public Evaluation open(Path root, String backbone, String weights, Pipeline base, List<Reward> rewards) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("stands_for", standsFor);
        extra.put("note", note);
        extra.put("artefacts", String.join(",", files.keySet().stream().map(Artefact::label).toList()));
        return Evaluation.open(root.resolve(name), Evaluation.config(backbone, weights, prompts, n, steps, methods,
                base, extra), rewards, title());
    }
}
