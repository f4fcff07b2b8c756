package dev.asyncdiff.cli;

import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.io.CsvRow;
import dev.asyncdiff.reward.CompositeReward;
import dev.asyncdiff.reward.Reward;
import dev.asyncdiff.reward.Rewards;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;

/** Scores existing images with named rewards: a CSV with one row per image, in argument order. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score existing images with rewards; writes a CSV (image,prompt,one column per reward"
                + "[,composite]) with one row per image, in argument order.")
final class ScoreCommand implements Callable<Integer> {

    @Option(names = "--rewards", required = true, paramLabel = "R1,R2,…", completionCandidates = RewardNames.class,
            description = "comma-separated reward names, each once, from: ${COMPLETION-CANDIDATES}; and the rewards "
                    + "read from model files, each with its folder as NAME:DIR (" + RewardSpecs.REAL + ")")
    String rewards;

    /** The registry's names, so that the help lists whatever rewards {@link Rewards} knows. */
    static final class RewardNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Rewards.names().iterator();
        }
    }

    @Option(names = "--composite", description = "add the Eq. 16 composite column: the mean of each reward's "
            + "z-scores within the given images (0 for a single image)")
    boolean composite;

    @Option(names = "--prompt", paramLabel = "P", description = "the prompt of every image")
    String prompt;

    @Option(names = "--prompts-file", paramLabel = "FILE",
            description = "one prompt a line, one line per image, in image order")
    Path promptsFile;

    @Option(names = "--out", paramLabel = "FILE.csv",
            description = "write the CSV to this file, replacing it atomically (default: stdout)")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "IMG", description = "the images (PNG, JPEG, BMP or GIF)")
    List<Path> images;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<Reward> metrics = RewardSpecs.parse(rewards);
        if (out != null) {
            OutputFile.check(out, "scores.csv");
        }
        List<String> prompts = prompts();
        for (Reward r : metrics) {
            if (r.needsPrompt() && prompts.isEmpty()) {
                throw new IllegalArgumentException("reward " + r.name() + " needs a prompt per image; give --prompt P "
                        + "or --prompts-file FILE");
            }
        }
        List<BufferedImage> read = images.stream().map(ScoreCommand::read).toList();

        CompositeReward all = CompositeReward.of(metrics);
        Map<String, double[]> scores = all.scoreEach(read, prompts);
        double[] combined = composite ? all.combine(scores) : null;

        List<String> header = new ArrayList<>(List.of("image", "prompt"));
        header.addAll(scores.keySet());
        if (composite) {
            header.add("composite");
        }
        StringBuilder csv = new StringBuilder(CsvRow.of(header)).append('\n');
        for (int i = 0; i < images.size(); i++) {
            List<String> row = new ArrayList<>(List.of(images.get(i).toString(),
                    prompts.isEmpty() ? "" : prompts.get(i)));
            for (double[] s : scores.values()) {
                row.add(CsvRow.number(s[i]));
            }
            if (composite) {
                row.add(CsvRow.number(combined[i]));
            }
            csv.append(CsvRow.of(row)).append('\n');
        }

        if (out == null) {
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.print(csv);
            stdout.flush();
        } else {
            AtomicFiles.write(out, csv.toString().getBytes(StandardCharsets.UTF_8));
        }
        return 0;
    }

    /** One prompt per image, or an empty list when neither --prompt nor --prompts-file is given. */
    private List<String> prompts() throws IOException {
        if (prompt != null && promptsFile != null) {
            throw new IllegalArgumentException("give --prompt or --prompts-file, not both");
        }
        if (prompt != null) {
            return Collections.nCopies(images.size(), prompt);
        }
        if (promptsFile == null) {
            return List.of();
        }
        if (!Files.isRegularFile(promptsFile)) {
            throw new IllegalArgumentException("--prompts-file " + promptsFile + " does not exist or is not a file");
        }
        List<String> lines = Files.readAllLines(promptsFile, StandardCharsets.UTF_8);
        if (lines.size() != images.size()) {
            throw new IllegalArgumentException("--prompts-file " + promptsFile + " has " + lines.size()
                    + " lines but " + images.size() + " images were given; give one prompt a line, one per image");
        }
        return lines;
    }

    private static BufferedImage read(Path image) {
        if (!Files.isRegularFile(image)) {
            throw new IllegalArgumentException("image " + image + " does not exist or is not a file");
        }
        BufferedImage read;
        try {
            read = ImageIO.read(image.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read image " + image + ": " + e.getMessage(), e);
        }
        if (read == null) {
            throw new IllegalArgumentException(image + " is not an image this tool reads (PNG, JPEG, BMP or GIF)");
        }
        return read;
    }
}
