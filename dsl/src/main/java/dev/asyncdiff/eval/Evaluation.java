package dev.asyncdiff.eval;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.data.PromptSet;
import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.io.CsvRow;
import dev.asyncdiff.reward.Reward;
import dev.asyncdiff.sample.Solver;
import dev.asyncdiff.sample.Trajectory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * A paired comparison of sampler configurations ({@code eval --methods …}, {@code reproduce}, notebooks) written into
 * a folder that it owns —
 * {@code config.json} (the run's settings), {@code images.csv} (one row per image), {@code summary.csv/.md/.html}
 * (the paper's table layout) and the images under {@code images/STEPS/METHOD/SAMPLE.png}. Each file is written
 * atomically after every finished (steps, method) cell, so an interrupted evaluation resumes from the cells it
 * finished when run again with the same settings.
 */
public final class Evaluation {
    public static final String CONFIG = "config.json";
    public static final String IMAGES = "images.csv";

    private final Path out;
    private final JsonObject config;
    private final List<String> rewardNames;
    private final List<ImageScore> rows = new ArrayList<>();
    private final String title;
    /** Per cell run by this process (not those resumed from files, which keep no per-step deviations). */
    private final Map<String, List<Trajectory>> trajectories = new LinkedHashMap<>();

    private Evaluation(Path out, JsonObject config, List<String> rewardNames, String title) {
        this.out = out;
        this.config = config;
        this.rewardNames = rewardNames;
        this.title = title;
    }

    /**
     * Checks {@code out} before anything runs: a new or empty folder starts an evaluation, a folder holding one with
     * the same settings resumes it, anything else is refused.
     */
    public static Evaluation open(Path out, JsonObject config, List<Reward> rewards, String title) {
        List<String> names = rewards.stream().map(Reward::name).toList();
        Evaluation e = new Evaluation(out, config, names, title);
        try {
            if (Files.isDirectory(out) && Files.exists(out.resolve(CONFIG))) {
                String before = Files.readString(out.resolve(CONFIG));
                if (!before.strip().equals(e.configText().strip())) {
                    throw new IllegalArgumentException("--out " + out + " holds an evaluation with other settings (see "
                            + out.resolve(CONFIG) + "); choose a new folder or the same settings to resume it");
                }
                e.readRows();
            } else if (Files.exists(out) && !isEmptyFolder(out)) {
                throw new IllegalArgumentException("--out " + out + " exists and holds no evaluation; choose a new or "
                        + "empty folder");
            }
        } catch (IOException x) {
            throw new IllegalArgumentException("--out " + out + " cannot be read (" + x.getMessage() + ")");
        }
        return e;
    }

    /**
     * The settings that name an evaluation: a folder with other settings is not resumed. {@code extra} holds what the
     * caller adds (e.g. which paper artefact the evaluation stands for).
     */
    public static JsonObject config(String backbone, String weights, String prompts, int n, List<Integer> steps,
                                    List<Method> methods, Pipeline base, Map<String, String> extra) {
        JsonObject c = new JsonObject();
        Gson gson = new Gson();
        c.addProperty("backbone", backbone);
        c.addProperty("weights", weights);
        c.addProperty("prompts", prompts);
        c.addProperty("n", n);
        c.add("steps", gson.toJsonTree(steps));
        c.add("methods", gson.toJsonTree(methods.stream().map(Method::spec).toList()));
        c.addProperty("schedule", base.schedule().spec());
        c.addProperty("guidance", base.guidance().spec());
        if (base.solver() != Solver.EULER) {
            c.addProperty("solver", base.solver().name()); // absent for Euler: earlier folders still resume
        }
        if (base.clock() instanceof dev.asyncdiff.asyndm.AsynDm a) {
            c.addProperty("asyndm", a.spec()); // absent for the grid, as the solver
        }
        c.addProperty("seed", base.seed());
        extra.forEach(c::addProperty);
        return c;
    }

    /** Sampler steps (one per batch and step) still to run: what a progress bar over {@link #run} counts. */
    public long pendingSteps(int prompts, int n, int batchSize, List<Integer> steps, List<Method> methods) {
        Set<String> done = doneCells(prompts * n);
        long batches = (prompts * (long) n + batchSize - 1) / batchSize;
        long total = 0;
        for (int k : steps) {
            for (Method m : methods) {
                total += done.contains(MethodComparison.key(k, m.spec())) ? 0 : batches * k;
            }
        }
        return total;
    }

    /**
     * Runs the cells not yet done, saving after each; returns the summary of all of them.
     *
     * @param base   the pipeline every method is applied to; its step callback (e.g. a progress bar) sees every step
     * @param status told what happened in words: resumed cells, each finished cell, the figures written
     */
    public ComparisonSummary run(Pipeline base, PromptSet prompts, int n, List<Integer> steps, List<Method> methods,
                                 List<Reward> rewards, Consumer<String> status) throws IOException {
        Files.createDirectories(out);
        AtomicFiles.write(out.resolve(CONFIG), configText().getBytes(StandardCharsets.UTF_8));
        Set<String> done = doneCells(prompts.size() * n);
        if (!done.isEmpty()) {
            status.accept("resuming: " + done.size() + " of " + steps.size() * methods.size() + " cells already in "
                    + out.resolve(IMAGES));
        }
        try {
            MethodComparison.run(base, prompts.prompts(), n, steps, methods, rewards, done, cell -> {
                try {
                    save(cell);
                } catch (IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
                status.accept(cell.steps() + " steps, " + cell.method().spec() + ": " + cell.rows().size()
                        + " images scored");
            });
        } catch (java.io.UncheckedIOException x) {
            throw x.getCause();
        }
        List<ImageScore> ordered = orderedRows(steps, methods);
        ComparisonSummary summary = writeSummary(ordered);
        List<Path> figures = EvaluationFigures.write(out, ordered, trajectories);
        status.accept(figures.size() + " figure files in " + out.resolve(EvaluationFigures.DIR));
        return summary;
    }

    /** The folder the evaluation writes into. */
    public Path folder() {
        return out;
    }

    /** Where an image of the evaluation in {@code out} lies: {@code images/STEPS/METHOD/SAMPLE.png}. */
    public static Path imagePath(Path out, int steps, String method, int sample) {
        return out.resolve("images").resolve(String.valueOf(steps)).resolve(folderName(method))
                .resolve(String.format("%05d.png", sample));
    }

    private void save(MethodComparison.Cell cell) throws IOException {
        for (int i = 0; i < cell.images().size(); i++) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(cell.images().get(i), "png", png);
            Path file = imagePath(out, cell.steps(), cell.method().spec(), cell.rows().get(i).sample());
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, png.toByteArray());
        }
        rows.addAll(cell.rows());
        trajectories.put(MethodComparison.key(cell.steps(), cell.method().spec()), cell.trajectories());
        StringBuilder csv = new StringBuilder(CsvRow.of(header())).append('\n');
        for (ImageScore r : rows) {
            List<String> f = new ArrayList<>(List.of(r.prompt(), String.valueOf(r.sample()), String.valueOf(r.steps()),
                    r.method(), CsvRow.number(r.meanDeviation())));
            rewardNames.forEach(name -> f.add(CsvRow.number(r.scores().get(name))));
            csv.append(CsvRow.of(f)).append('\n');
        }
        AtomicFiles.write(out.resolve(IMAGES), csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    private ComparisonSummary writeSummary(List<ImageScore> ordered) throws IOException {
        ComparisonSummary s = ComparisonSummary.of(title, ordered);
        AtomicFiles.write(out.resolve("summary.md"), s.toMarkdown().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve("summary.html"), s.toHtml().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve("summary.csv"), s.toTable().write().toString("csv")
                .getBytes(StandardCharsets.UTF_8));
        return s;
    }

    /** Rows in the order of the requested step counts and methods, whatever order earlier runs finished them in. */
    private List<ImageScore> orderedRows(List<Integer> steps, List<Method> methods) {
        List<ImageScore> out = new ArrayList<>();
        for (int k : steps) {
            for (Method m : methods) {
                rows.stream().filter(r -> r.steps() == k && r.method().equals(m.spec())).forEach(out::add);
            }
        }
        return out;
    }

    private List<String> header() {
        List<String> h = new ArrayList<>(List.of("prompt", "sample", "steps", "method", "mean_deviation"));
        h.addAll(rewardNames);
        return h;
    }

    private void readRows() throws IOException {
        Path csv = out.resolve(IMAGES);
        if (!Files.exists(csv)) {
            return;
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !CsvRow.parse(lines.get(0)).equals(header())) {
            throw new IllegalArgumentException(csv + " does not have this evaluation's columns; choose a new --out");
        }
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = CsvRow.parse(line);
            Map<String, Double> scores = new LinkedHashMap<>();
            for (int i = 0; i < rewardNames.size(); i++) {
                scores.put(rewardNames.get(i), Double.parseDouble(f.get(5 + i)));
            }
            rows.add(new ImageScore(f.get(0), Integer.parseInt(f.get(1)), Integer.parseInt(f.get(2)), f.get(3),
                    Double.parseDouble(f.get(4)), scores));
        }
    }

    /** Cells with all their images: a cell cut off mid-way is not in the file, as files are written per cell. */
    private Set<String> doneCells(int perCell) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        rows.forEach(r -> counts.merge(MethodComparison.key(r.steps(), r.method()), 1, Integer::sum));
        Set<String> done = new HashSet<>();
        counts.forEach((k, c) -> {
            if (c == perCell) {
                done.add(k);
            }
        });
        return done;
    }

    private String configText() {
        JsonObject c = config.deepCopy();
        c.add("rewards", new Gson().toJsonTree(rewardNames));
        return json(c);
    }

    /**
     * A method spec as one file or folder name: fixed:0.3:gamma=2 → fixed_0.3_gamma-2; a policy's path keeps its
     * characters but not its separators, tpm:/runs/a/tpm → tpm_~runs~a~tpm (one name, never a nested path).
     */
    public static String folderName(String method) {
        return method.replace(':', '_').replace('=', '-').replace('/', '~').replace('\\', '~');
    }

    /** Whether {@code dir} is a folder with nothing in it: what an evaluation or a reproduction may start in. */
    static boolean isEmptyFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** Settings as the files of evaluations and reproductions hold them: pretty-printed JSON and a newline. */
    static String json(JsonObject settings) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(settings) + "\n";
    }
}
