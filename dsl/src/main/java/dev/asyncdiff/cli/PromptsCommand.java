package dev.asyncdiff.cli;

import dev.asyncdiff.data.AsynDmPrompts;
import dev.asyncdiff.data.CocoPrompts;
import dev.asyncdiff.data.CompBenchPrompts;
import dev.asyncdiff.data.DrawBenchPrompts;
import dev.asyncdiff.data.GenEvalPrompts;
import dev.asyncdiff.data.PromptSet;
import dev.asyncdiff.data.PromptSets;
import dev.asyncdiff.data.WorldPrompts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Prints a prompt set: one prompt a line on stdout, a one-line summary on stderr. */
@Command(name = "prompts", mixinStandardHelpOptions = true,
        description = "Print a prompt set, one prompt a line (summary with size and provenance on stderr).")
final class PromptsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SPEC", description = {"the prompt set, one of", CocoPrompts.FORM,
            CompBenchPrompts.FORM, DrawBenchPrompts.FORM, GenEvalPrompts.FORM, AsynDmPrompts.FORM, WorldPrompts.FORM,
            "each optionally ending in :N (its first N prompts)"})
    String set;

    @Option(names = "--limit", description = "print only the first N prompts (the same as ending SPEC in :N)",
            paramLabel = "N")
    Integer limit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PromptSet prompts = PromptSets.load(set);
        if (limit != null) {
            try {
                prompts = prompts.first(limit);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--limit " + e.getMessage(), e);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        prompts.prompts().forEach(out::println);
        out.flush();
        spec.commandLine().getErr().println(prompts.summary());
        return 0;
    }
}
