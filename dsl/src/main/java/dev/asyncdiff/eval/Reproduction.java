package dev.asyncdiff.eval;

import com.google.gson.JsonObject;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.data.PromptSet;
import dev.asyncdiff.data.PromptSets;
import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.model.tiny.TinyFlowModel;
import dev.asyncdiff.reward.Reward;
import dev.asyncdiff.reward.Rewards;
import dev.asyncdiff.sample.StepCallback;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The evaluations that reproduce the paper's tables and figures, with the paper's settings (DESIGN.md §1.2): Table 1
 * at SD3.5-medium's 15 steps, Table 2 at Flux.1-dev's 10, the MS-COCO and T2I-CompBench prompt sets, seed 42.
 * <p>
 * On the tiny backbone the world's val captions stand in for MS-COCO's 2,048 and its unseen-combination val captions
 * for T2I-CompBench's val split (compositions the model never saw, as CompBench probes binding). The learned-policy
 * rows ({@link PolicyRows}) are the shipped TPMs once the build has both, else labelled stand-ins at the paper's mean
 * deviations ({@link PaperDeviations}); the real backbones always use the stand-ins (no TPM is trained for them).
 */
public final class Reproduction {
    /** The file in a reproduction's folder that holds its settings; another run resumes only with the same. */
    public static final String SETTINGS = "reproduce.json";
    /** Prompts per evaluation in quick mode (notebooks in CI). */
    public static final int QUICK_PROMPTS = 8;
    /** Prompts of the figure evaluations in a full run (the tables use their whole prompt sets). */
    public static final int FIGURE_PROMPTS = 512;
    /** Prompts per category of the AsynDM evaluation in a full run. */
    public static final int ASYNDM_PROMPTS = 256;

    private static final String COCO = "MS-COCO 2014 val (2,048 captions)";
    private static final String COMPBENCH = "T2I-CompBench val";
    private static final String WORLD_VAL = "shapes:all:val";
    private static final String WORLD_UNSEEN = "shapes:all:val_unseen";
    private static final String REAL_COCO = "coco:val";
    private static final String REAL_COMPBENCH = "compbench:all:val";
    /** The paper's mean deviations of the bounded and the lifted TPM, Tables 1–2 (DESIGN.md §1.2). */
    private static final PaperDeviations TABLE1_COCO = new PaperDeviations(0.192, 0.398);
    private static final PaperDeviations TABLE1_COMPBENCH = new PaperDeviations(0.231, 0.106);
    private static final PaperDeviations TABLE2_COCO = new PaperDeviations(0.499, 0.959);
    private static final PaperDeviations TABLE2_COMPBENCH = new PaperDeviations(0.499, 0.640);

    private Reproduction() {
    }

    /** What a run made: the index file and each evaluation's summary, by evaluation name. */
    public record Result(Path index, Map<String, ComparisonSummary> summaries) {
    }

    /**
     * Runs the evaluations behind {@code artefacts} into {@code out} (one folder each; finished cells of an earlier run
     * with the same settings are kept), scored by {@code rewards}, and writes {@code INDEX.md} (these artefacts and
     * those that earlier runs into {@code out} finished).
     *
     * @param weights  how the backbone's weights are named in the settings ({@code shipped} or a folder)
     * @param rewards  the rewards that score every evaluation ({@link #defaultRewards} on tiny; the paper's four
     *                 real ones on sd35 and flux), named in the settings
     * @param base     the backbone's pipeline with its grid, guidance, seed and batch size
     * @param progress makes the step callback that shows one evaluation's progress (named, with its total steps);
     *                 a callback that is {@link AutoCloseable} is closed when its evaluation ends
     * @param status   told what each evaluation reports (resumed cells, finished cells, figures)
     * @throws IllegalArgumentException for an unusable {@code out} or settings, before anything runs
     */
    public static Result run(Path out, String backbone, String weights, Pipeline base, boolean quick,
                             List<Artefact> artefacts, List<Reward> rewards,
                             BiFunction<String, Long, StepCallback> progress, Consumer<String> status)
            throws IOException {
        List<PlannedEvaluation> plans = plan(backbone, quick, artefacts);
        List<Artefact> made = made(artefacts, plans);
        List<PromptSet> sets = plans.stream().map(p -> PromptSets.load(p.prompts())).toList();
        sets.forEach(s -> base.model().validate(s.prompts()));
        JsonObject settings = new JsonObject();
        settings.addProperty("backbone", backbone);
        settings.addProperty("weights", weights);
        settings.addProperty("quick", quick);
        settings.addProperty("seed", base.seed());
        settings.addProperty("rewards", String.join(",", rewards.stream().map(Reward::name).toList()));
        claim(out, settings);
        List<Evaluation> evaluations = plans.stream().map(p -> p.open(out, backbone, weights, base, rewards)).toList();
        AtomicFiles.write(out.resolve(SETTINGS), Evaluation.json(settings).getBytes(StandardCharsets.UTF_8));
        Map<String, ComparisonSummary> summaries = new LinkedHashMap<>();
        for (int i = 0; i < plans.size(); i++) {
            PlannedEvaluation p = plans.get(i);
            Evaluation e = evaluations.get(i);
            long total = e.pendingSteps(sets.get(i).size(), p.n(), base.batchSize(), p.steps(), p.methods());
            StepCallback shown = total == 0 ? StepCallback.NONE : progress.apply(p.name(), total);
            try {
                summaries.put(p.name(), e.run(base.onStep(shown), sets.get(i), p.n(), p.steps(), p.methods(),
                        rewards, status));
            } finally {
                if (shown instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception x) {
                        throw new IOException("closing the progress display of " + p.name() + " failed", x);
                    }
                }
            }
        }
        List<PlannedEvaluation> indexed = finishedOrPlanned(out, backbone, quick, plans);
        return new Result(writeIndex(out, backbone, made(List.of(Artefact.values()), indexed), indexed), summaries);
    }

    /**
     * The evaluations INDEX.md lists: this run's, and those of earlier runs into the same folder that finished (a
     * notebook that makes the tables resumes the folder {@code reproduce all} made, and the index keeps the rest).
     */
    private static List<PlannedEvaluation> finishedOrPlanned(Path out, String backbone, boolean quick,
                                                             List<PlannedEvaluation> plans) {
        List<String> planned = plans.stream().map(PlannedEvaluation::name).toList();
        return plan(backbone, quick, List.of(Artefact.values())).stream()
                .filter(e -> planned.contains(e.name()) || Files.isRegularFile(out.resolve(e.name()).resolve(
                        "summary.md")))
                .toList();
    }

    /** The rewards a tiny reproduction scores with: every reward known by name (the world's and the embedded). */
    public static List<Reward> defaultRewards() {
        return Rewards.parse(String.join(",", Rewards.names()));
    }

    /** Refuses an {@code out} that holds anything but a reproduction with the same settings; creates it if absent. */
    private static void claim(Path out, JsonObject settings) {
        Path file = out.resolve(SETTINGS);
        try {
            if (Files.exists(file)) {
                if (!Files.readString(file).strip().equals(Evaluation.json(settings).strip())) {
                    throw new IllegalArgumentException("--out " + out + " holds a reproduction with other settings "
                            + "(see " + file + "); choose a new folder or the same backbone, weights, quick mode, "
                            + "seed and rewards to resume it");
                }
            } else if (Files.exists(out) && !Evaluation.isEmptyFolder(out)) {
                throw new IllegalArgumentException("--out " + out + " exists and holds no reproduction; choose a new "
                        + "or empty folder");
            }
            Files.createDirectories(out);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("--out " + out + " cannot be used (" + e.getMessage() + "); choose a "
                    + "writable folder");
        }
    }


    /**
     * The evaluations that make {@code artefacts} on {@code backbone}, each once: on {@code tiny} every artefact; on
     * {@code sd35} its Table 1 and on {@code flux} its Table 2, each on the real MS-COCO and T2I-CompBench val
     * prompts, with the figures at that backbone's step count; {@code all} there means the artefacts it makes.
     *
     * @throws IllegalArgumentException for an artefact that backbone does not make (the message says which does)
     */
    public static List<PlannedEvaluation> plan(String backbone, boolean quick, List<Artefact> artefacts) {
        return plan(backbone, quick, artefacts, ShippedTpmRows.available());
    }

    /**
     * As {@link #plan(String, boolean, List)}; {@code tpmsShipped} says whether the tiny backbone's learned-policy
     * rows are the shipped TPMs or the paper's mean deviations standing in for them.
     */
    static List<PlannedEvaluation> plan(String backbone, boolean quick, List<Artefact> artefacts,
                                        boolean tpmsShipped) {
        boolean tpms = tpmsShipped && backbone.equals("tiny");
        List<PlannedEvaluation> all = switch (backbone) {
            case "tiny" -> List.of(
                    table(Artefact.TABLE1, "table1-coco", WORLD_VAL, COCO, 15, rows(TABLE1_COCO, tpms), quick),
                    table(Artefact.TABLE1, "table1-compbench", WORLD_UNSEEN, COMPBENCH, 15,
                            rows(TABLE1_COMPBENCH, tpms), quick),
                    table(Artefact.TABLE2, "table2-coco", WORLD_VAL, COCO, 10, rows(TABLE2_COCO, tpms), quick),
                    table(Artefact.TABLE2, "table2-compbench", WORLD_UNSEEN, COMPBENCH, 10,
                            rows(TABLE2_COMPBENCH, tpms), quick),
                    gamma(WORLD_VAL, COCO, 10, rows(TABLE1_COCO, tpms), quick),
                    deviations(WORLD_VAL, COCO, List.of(10, 15), rows(TABLE1_COCO, tpms), quick),
                    velocity(WORLD_VAL, COCO, 10, rows(TABLE1_COCO, tpms), quick),
                    asynDm("spatial", quick), asynDm("numeracy", quick), asynDm("complex", quick), solvers(quick));
            case "sd35" -> realPlan(Artefact.TABLE1, 15, TABLE1_COCO, TABLE1_COMPBENCH, quick);
            case "flux" -> realPlan(Artefact.TABLE2, 10, TABLE2_COCO, TABLE2_COMPBENCH, quick);
            default -> throw new IllegalArgumentException("reproduce has no plan for --backbone " + backbone
                    + " (choose tiny, sd35 or flux)");
        };
        List<Artefact> made = all.stream().flatMap(e -> e.files().keySet().stream()).distinct().sorted().toList();
        if (!backbone.equals("tiny") && artefacts.size() < Artefact.values().length) {
            for (Artefact a : artefacts) {
                if (!made.contains(a)) {
                    throw new IllegalArgumentException(a.label() + " is not made on --backbone " + backbone + ": "
                            + (a == Artefact.TABLE1 ? "Table 1 is SD3.5-medium's (--backbone sd35)"
                            : a == Artefact.TABLE2 ? "Table 2 is Flux.1-dev's (--backbone flux)"
                            : "the AsynDM and solver comparisons run on --backbone tiny")
                            + "; --backbone " + backbone + " makes " + String.join(", ",
                            made.stream().map(Artefact::label).toList()));
                }
            }
        }
        return all.stream().filter(e -> e.files().keySet().stream().anyMatch(artefacts::contains)).toList();
    }

    /**
     * A real backbone's evaluations: its own table at its step count on the real MS-COCO and T2I-CompBench val
     * prompts (the paper's mean deviations of that table as stand-ins), and the figures at that step count.
     */
    private static List<PlannedEvaluation> realPlan(Artefact table, int steps, PaperDeviations coco,
                                                    PaperDeviations compBench, boolean quick) {
        String name = table.label();
        return List.of(table(table, name + "-coco", REAL_COCO, "", steps, coco, quick),
                table(table, name + "-compbench", REAL_COMPBENCH, "", steps, compBench, quick),
                gamma(REAL_COCO, "", steps, TABLE1_COCO, quick),
                deviations(REAL_COCO, "", List.of(steps), TABLE1_COCO, quick),
                velocity(REAL_COCO, "", steps, TABLE1_COCO, quick));
    }

    /**
     * The artefacts of {@code wanted} that {@code backbone} makes, in order (all of them on tiny; on sd35 and flux
     * their own table and the figures): what a notebook switched between backbones by one variable asks for.
     */
    public static List<Artefact> madeOn(String backbone, List<Artefact> wanted) {
        return made(wanted, plan(backbone, true, List.of(Artefact.values()), false));
    }

    /** The artefacts of {@code wanted} that one of {@code plans} makes, in {@code wanted}'s order. */
    private static List<Artefact> made(List<Artefact> wanted, List<PlannedEvaluation> plans) {
        return wanted.stream().filter(a -> plans.stream().anyMatch(p -> p.files().containsKey(a))).toList();
    }

    /** How a run names its weights: the tiny model's by content ({@code shipped, sha256 …}), a folder by its path. */
    public static String describeWeights(String backbone, Path weights) {
        return backbone.equals("tiny") ? TinyFlowModel.describeWeights(weights) : String.valueOf(weights);
    }

    /** The shipped TPMs when {@code tpms}, else the paper's deviations standing in for them. */
    private static PolicyRows rows(PaperDeviations paper, boolean tpms) {
        return tpms ? new ShippedTpmRows() : paper;
    }

    /** A table's rows at one setting; {@code standsFor} is empty when the prompts are the paper's own. */
    private static PlannedEvaluation table(Artefact artefact, String name, String prompts, String standsFor,
                                           int steps, PolicyRows d, boolean quick) {
        return new PlannedEvaluation(name, limited(prompts, quick, 0), standsFor, 1, List.of(steps),
                List.of(Method.parse("sync"), d.bounded(), d.lifted()),
                d.note(artefact == Artefact.TABLE1 ? "Table 1 (SD3.5-medium)" : "Table 2 (Flux.1-dev)"),
                Map.of(artefact, List.of("summary.md", "summary.html", "summary.csv")));
    }

    /** Fig. 2 and Fig. 5: the bounded policy at γ 0.5, 1 and 2, and the lifted one, at {@code steps} steps. */
    private static PlannedEvaluation gamma(String prompts, String standsFor, int steps, PolicyRows d,
                                           boolean quick) {
        String p = d.bounded().spec();
        Map<Artefact, List<String>> files = new LinkedHashMap<>();
        files.put(Artefact.FIG2, List.of("figures/metrics-vs-gamma-"));
        files.put(Artefact.FIG5, List.of("figures/grid-" + steps + ".png", "summary.md"));
        return new PlannedEvaluation("gamma", limited(prompts, quick, FIGURE_PROMPTS), standsFor, 1, List.of(steps),
                List.of(Method.parse("sync"), Method.parse(p + ":gamma=0.5"), d.bounded(),
                        Method.parse(p + ":gamma=2"), d.lifted()),
                d.note("Table 1 (SD3.5-medium)"), files);
    }

    /** Fig. 3 (15 steps) and Fig. 4 (10 steps): per-step deviations at those of {@code steps} given. */
    private static PlannedEvaluation deviations(String prompts, String standsFor, List<Integer> steps,
                                                PolicyRows d, boolean quick) {
        Map<Artefact, List<String>> files = new LinkedHashMap<>();
        if (steps.contains(15)) {
            files.put(Artefact.FIG3, List.of("figures/deviation-15-"));
        }
        if (steps.contains(10)) {
            files.put(Artefact.FIG4, List.of("figures/deviation-10-"));
        }
        List<Method> methods = new ArrayList<>(List.of(Method.parse("sync")));
        methods.addAll(d.varying());
        return new PlannedEvaluation("deviations", limited(prompts, quick, FIGURE_PROMPTS), standsFor, 1, steps,
                methods, d.deviationsNote(), files);
    }

    /** Fig. 6: the same r as a conditioning-time deviation and as a velocity multiplier ω = 0.5 + r. */
    private static PlannedEvaluation velocity(String prompts, String standsFor, int steps, PolicyRows d,
                                              boolean quick) {
        String p = d.bounded().spec();
        return new PlannedEvaluation("velocity", limited(prompts, quick, FIGURE_PROMPTS), standsFor, 1,
                List.of(steps), List.of(Method.parse("sync"), d.bounded(), Method.parse(p + ":velocity-scale")),
                d.velocityNote(), Map.of(Artefact.FIG6, List.of("figures/grid-" + steps + ".png", "summary.md")));
    }

    /**
     * AsynDM's comparison (DESIGN.md §1.3) on one of the categories whose captions place or count objects, at the
     * reference's 50 steps and at 15: standard sampling, the concave schedule everywhere, and AsynDM's quadratic
     * schedule (k = 0.7) inside dynamic and fixed masks.
     */
    /** AsynDM against standard sampling at 15 and 50 steps; a quick (smoke) run only at 15, a third of the cost. */
    private static PlannedEvaluation asynDm(String category, boolean quick) {
        String q = "sync:asyndm=quadratic:0.7";
        return new PlannedEvaluation("asyndm-" + category, limited("shapes:" + category + ":val", quick,
                ASYNDM_PROMPTS), "AsynDM's compositional prompts", 1, quick ? List.of(15) : List.of(15, 50),
                List.of(Method.parse("sync"), Method.parse(q + ":everywhere"), Method.parse(q),
                        Method.parse(q + ":fixed")),
                "Masks come from the tiny model's image→text attention to each object's colour word (else its size or "
                        + "texture word, else its noun), where this model localises objects (asyncdiff masks).",
                Map.of(Artefact.ASYNDM, List.of("summary.md", "summary.html", "summary.csv", "figures/grid-15.png")));
    }

    /** Fixed deviations under each solver at 4 and 10 steps: does asynchronous conditioning carry over? */
    private static PlannedEvaluation solvers(boolean quick) {
        List<Method> methods = new ArrayList<>();
        for (String solver : List.of("euler", "heun", "dpmpp2m")) {
            for (String policy : List.of("sync", "fixed:0.2", "fixed:0.4")) {
                methods.add(Method.parse(policy + ":solver=" + solver));
            }
        }
        return new PlannedEvaluation("solvers", limited(WORLD_VAL, quick, FIGURE_PROMPTS), COCO, 1, List.of(4, 10),
                methods, "Paired differences are from sync under Euler; compare each solver's fixed rows with its "
                + "own sync row.", Map.of(Artefact.SOLVERS, List.of("summary.md", "summary.html", "summary.csv")));
    }

    /** The prompt spec limited to the quick size, or to {@code full} prompts when {@code full > 0}. */
    private static String limited(String spec, boolean quick, int full) {
        return quick ? spec + ":" + QUICK_PROMPTS : full > 0 ? spec + ":" + full : spec;
    }

    /**
     * {@code INDEX.md}: for each artefact, its caption, the evaluation that made it, its note and the files that hold
     * it (tables inline); written atomically into {@code out}.
     */
    public static Path writeIndex(Path out, String backbone, List<Artefact> artefacts, List<PlannedEvaluation> plans)
            throws IOException {
        StringBuilder md = new StringBuilder("# Paper artefacts reproduced on the " + backbone + " backbone\n\n");
        for (Artefact a : artefacts) {
            md.append("## ").append(a.caption()).append("\n\n");
            for (PlannedEvaluation e : plans) {
                List<String> prefixes = e.files().get(a);
                if (prefixes == null) {
                    continue;
                }
                md.append("From `").append(e.name()).append("/`: ").append(e.title()).append("\n\n");
                for (Path f : matching(out.resolve(e.name()), prefixes)) {
                    md.append("- `").append(out.relativize(f)).append("`\n");
                }
                if (prefixes.contains("summary.md")) {
                    md.append('\n').append(Files.readString(out.resolve(e.name()).resolve("summary.md")));
                }
                md.append('\n');
            }
        }
        Path index = out.resolve("INDEX.md");
        AtomicFiles.write(index, md.toString().getBytes(StandardCharsets.UTF_8));
        return index;
    }

    /** The files under {@code dir} whose relative path starts with one of the prefixes, sorted. */
    private static List<Path> matching(Path dir, List<String> prefixes) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).filter(f -> {
                String rel = dir.relativize(f).toString().replace('\\', '/');
                return prefixes.stream().anyMatch(rel::startsWith);
            }).sorted().forEach(found::add);
        }
        return found;
    }
}
