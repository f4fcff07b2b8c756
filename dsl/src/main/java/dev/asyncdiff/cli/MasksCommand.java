package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.asyndm.AttentionMask;
import dev.asyncdiff.data.PromptSets;
import dev.asyncdiff.eval.MaskLocalization;
import dev.asyncdiff.io.AtomicFiles;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Scores AsynDM's attention masks against the objects the tiny world's oracle finds ({@link MaskLocalization}).
 */
@Command(name = "masks", mixinStandardHelpOptions = true,
        description = "Score the tiny backbone's image→text attention (AsynDM's masks) against the objects the "
                + "world's oracle finds in the images: per block and step, the AUC of each object word's attention "
                + "and the precision, recall and coverage of AsynDM's threshold rule.")
final class MasksCommand implements Callable<Integer> {
    @Option(names = "--prompts", paramLabel = "SPEC", defaultValue = "shapes:spatial:val:64",
            description = "the tiny world's prompts, one image each (see 'asyncdiff prompts --help'; default: "
                    + "${DEFAULT-VALUE})")
    String prompts;

    @Option(names = "--steps", paramLabel = "K", defaultValue = "15",
            description = "synchronous Euler steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--mask-threshold", paramLabel = "X", defaultValue = "1.0",
            description = "AsynDM's rule: a position is related when its attention is at least X times the word's "
                    + "spatial mean (default: ${DEFAULT-VALUE})")
    double threshold;

    @Option(names = "--out", paramLabel = "FILE.csv",
            description = "also write every measure (words, blocks, step, auc, precision, recall, coverage, "
                    + "object_share; one row per image, step, choice of words and of blocks) to this file, replaced "
                    + "atomically")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1 (got " + steps + ")");
        }
        AttentionMask.checkThreshold(threshold);
        if (out != null) {
            OutputFile.check(out, "masks.csv");
        }
        List<String> list = PromptSets.load(prompts).prompts();
        Pipeline pipeline = Pipeline.tiny().steps(steps);
        pipeline.model().validate(list);   // refused before the bar starts
        List<MaskLocalization.Measure> measures;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("masks").setInitialMax(list.size())
                .setStyle(ProgressBarStyle.ASCII).setMaxRenderedLength(100).build()) {
            measures = MaskLocalization.measure(pipeline, list, threshold, (done, total) -> bar.stepTo(done));
        }
        System.out.printf(Locale.ROOT, "Mask localisation on the tiny backbone: %d prompts (%s), %d synchronous "
                + "steps, CFG %s, threshold %s× the word's mean; means over images with 95%% intervals%n%n",
                list.size(), prompts, steps, pipeline.guidance().spec(), threshold);
        System.out.print(MaskLocalization.toMarkdown(measures, steps));
        if (out != null) {
            AtomicFiles.write(out, MaskLocalization.toCsv(measures).getBytes(StandardCharsets.UTF_8));
            System.out.println("wrote " + out);
        }
        return 0;
    }
}
