package dev.asyncdiff.policy;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.sample.DeviationBound;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.rtree.CARTRegressionTrainer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * An RL-free policy distilled from a TPM (the paper's suggestion where the learned deviation varies little): a Tribuo
 * CART regression tree of the TPM's deviation D = r − 0.5 on the step's features ({@link StepFeatures}: k, t_k, K and
 * the prompt's category). It chooses r = 0.5 + D̂ at steps k ≥ 1, kept in [0, 1], and 0.5 at k = 0 like the TPM.
 *
 * <p>Saved as a folder: {@value #MODEL}, the tree in Tribuo's own protobuf format ({@link Model#serializeToStream},
 * read back by {@link Model#deserializeFromFile}; no Java serialization), and {@value #SUMMARY}, what it was fitted
 * for and on. It samples only the backbone and latent it was fitted for and step counts within the range it saw;
 * anything else is one clear error.
 */
public final class DistilledPolicy implements TimestepPolicy {
    public static final String MODEL = "deviation-tree.tribuo";
    public static final String SUMMARY = "distilled.json";
    public static final String PREFIX = "distilled:";
    private static final String OUTPUT = "deviation";

    /**
     * What a distillate is valid for.
     *
     * @param backbone   the backbone the TPM sampled
     * @param latentSize values per latent
     * @param steps      the step counts K the TPM sampled at
     * @param bound      the deviation bound the TPM sampled under (half or lifted)
     * @param source     the TPM's folder
     */
    public record Scope(String backbone, int latentSize, List<Integer> steps, String bound, String source) {
        public Scope {
            steps = List.copyOf(steps);
            if (steps.isEmpty()) {
                throw new IllegalArgumentException("a distillate needs at least one step count");
            }
        }

        int minSteps() {
            return steps.stream().mapToInt(Integer::intValue).min().orElseThrow();
        }

        int maxSteps() {
            return steps.stream().mapToInt(Integer::intValue).max().orElseThrow();
        }
    }

    /**
     * How the tree fits its data.
     *
     * @param fixedDeviation the mean D over every recorded step: the fixed-deviation distillate ({@code fixed:D})
     * @param examples       recorded steps
     * @param maxDepth       the tree's depth limit
     * @param rmseTree       root mean square error of the tree on its data
     * @param rmseFixed      the same for the fixed deviation (D's standard deviation)
     */
    public record Fit(double fixedDeviation, int examples, int maxDepth, double rmseTree, double rmseFixed) {
    }

    /** {@value #SUMMARY}. */
    public record Summary(Scope scope, Fit fit) {
    }

    private final Model<Regressor> tree;
    private final Summary summary;
    private final String spec;

    private DistilledPolicy(Model<Regressor> tree, Summary summary, String spec) {
        this.tree = tree;
        this.summary = summary;
        this.spec = spec;
    }

    /** Fits a tree of depth at most {@code maxDepth} to the deviations D recorded at the given steps. */
    public static DistilledPolicy fit(Scope scope, List<StepFeatures> features, double[] deviations, int maxDepth) {
        if (features.isEmpty() || features.size() != deviations.length) {
            throw new IllegalArgumentException("distillation needs one deviation per recorded step (got "
                    + features.size() + " steps and " + deviations.length + " deviations)");
        }
        checkMaxDepth(maxDepth);
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> data = new MutableDataset<>(new SimpleDataSourceProvenance(
                "TPM deviations per step", factory), factory);
        for (int i = 0; i < deviations.length; i++) {
            data.add(new ArrayExample<>(new Regressor(OUTPUT, deviations[i]), features.get(i).names(),
                    features.get(i).values()));
        }
        Model<Regressor> tree = new CARTRegressionTrainer(maxDepth).train(data);
        double mean = Arrays.stream(deviations).average().orElseThrow();
        DistilledPolicy fitted = new DistilledPolicy(tree, null, PREFIX + scope.source());
        double sqTree = 0;
        double sqFixed = 0;
        for (int i = 0; i < deviations.length; i++) {
            double e = fitted.predict(features.get(i)) - deviations[i];
            sqTree += e * e;
            sqFixed += (mean - deviations[i]) * (mean - deviations[i]);
        }
        Fit fit = new Fit(mean, deviations.length, maxDepth, Math.sqrt(sqTree / deviations.length),
                Math.sqrt(sqFixed / deviations.length));
        return new DistilledPolicy(tree, new Summary(scope, fit), PREFIX + scope.source());
    }

    /** A tree's depth limit: at least 1; returns it. */
    public static int checkMaxDepth(int maxDepth) {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("--max-depth must be at least 1 (got " + maxDepth + ")");
        }
        return maxDepth;
    }

    /** Throws unless {@code dir} holds the two files of a distillate. */
    public static void requireFolder(Path dir) {
        if (!Files.isRegularFile(dir.resolve(MODEL)) || !Files.isRegularFile(dir.resolve(SUMMARY))) {
            throw new IllegalArgumentException(dir + " holds no distilled policy (expected " + MODEL + " and "
                    + SUMMARY + " from distill)");
        }
    }

    /** A distillate saved by {@link #save}; anything missing or unreadable is one IllegalArgumentException. */
    public static DistilledPolicy load(Path dir) {
        requireFolder(dir);
        try {
            Summary summary = gson().fromJson(Files.readString(dir.resolve(SUMMARY)), Summary.class);
            if (summary == null || summary.scope() == null || summary.fit() == null) {
                throw new IllegalArgumentException("empty summary");
            }
            Model<?> model = Model.deserializeFromFile(dir.resolve(MODEL));
            if (!model.validate(Regressor.class)) {
                throw new IllegalArgumentException(MODEL + " is not a regression model");
            }
            @SuppressWarnings("unchecked")
            Model<Regressor> tree = (Model<Regressor>) model;
            return new DistilledPolicy(tree, summary, PREFIX + dir);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the distilled policy in " + dir + ": " + e.getMessage());
        }
    }

    /** Writes {@value #MODEL} and {@value #SUMMARY} into {@code dir}, each atomically. */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        tree.serializeToStream(bytes);
        AtomicFiles.write(dir.resolve(MODEL), bytes.toByteArray());
        AtomicFiles.write(dir.resolve(SUMMARY), (gson().toJson(summary) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public Summary summary() {
        return summary;
    }

    /** Refuses a backbone other than the one the TPM sampled. */
    public void checkBackbone(String backbone) {
        if (!summary.scope().backbone().equals(backbone)) {
            throw new IllegalArgumentException(where() + " was distilled on backbone " + summary.scope().backbone()
                    + ", not " + backbone + "; distil a TPM of that backbone with distill");
        }
    }

    /** The tree's D̂ for one step. */
    public double predict(StepFeatures f) {
        Prediction<Regressor> p = tree.predict(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, f.names(),
                f.values()));
        return p.getOutput().getValues()[0];
    }

    @Override
    public double[] decide(PolicyInput in) {
        Scope scope = summary.scope();
        int steps = in.grid().length - 1;
        if (steps < scope.minSteps() || steps > scope.maxSteps()) {
            throw new IllegalArgumentException(where() + " was distilled at " + scope.steps() + " steps and cannot "
                    + "sample at " + steps + "; distil at that step count with distill --steps " + steps);
        }
        if (in.latentSize() != scope.latentSize()) {
            throw new IllegalArgumentException(where() + " was distilled on backbone " + scope.backbone()
                    + " (latent of " + scope.latentSize() + " values), not for a latent of " + in.latentSize());
        }
        double[] r = new double[in.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = in.step() == 0 ? 0.5 : Math.max(0, Math.min(1, 0.5 + predict(StepFeatures.of(in, i))));
        }
        return r;
    }

    @Override
    public String spec() {
        return spec;
    }

    /** The bound its TPM sampled under while it was distilled. */
    @Override
    public java.util.Optional<DeviationBound> trainedBound() {
        return java.util.Optional.of(DeviationBound.parse(summary.scope().bound()));
    }

    private String where() {
        return "distilled policy " + spec.substring(PREFIX.length());
    }

    private static Gson gson() {
        return new GsonBuilder().setPrettyPrinting().create();
    }

}
