package dev.asyncdiff.tpm;

import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.policy.DistilledPolicy;
import dev.asyncdiff.policy.StepFeatures;
import dev.asyncdiff.sample.StepCallback;
import dev.asyncdiff.sample.Trajectory;
import dev.asyncdiff.sample.TrajectoryStep;

import java.util.ArrayList;
import java.util.List;

/**
 * Distils a TPM without RL: samples prompts with the TPM's choices (its Beta's mode, Eq. 18), records every step's
 * deviation D = r − 0.5 (k ≥ 1) with its features ({@link StepFeatures}), and fits (a) the fixed deviation, D's mean,
 * and (b) a regression tree of D on the features ({@link DistilledPolicy}).
 */
public final class TpmDistillation {
    /**
     * @param policy     the fitted tree, with the fixed deviation in its summary
     * @param features   every recorded step's features
     * @param deviations every recorded step's D
     */
    public record Result(DistilledPolicy policy, List<StepFeatures> features, double[] deviations) {
    }

    private TpmDistillation() {
    }

    /**
     * @param withTpm  the backbone's pipeline sampling with the TPM (grid, guidance, bound and seed as wanted)
     * @param backbone the backbone's name
     * @param source   the TPM's folder, recorded in the summary
     * @param progress told after every sampler step (e.g. a progress bar)
     */
    public static Result run(Pipeline withTpm, String backbone, String source, List<String> prompts,
                             List<Integer> steps, int n, int maxDepth, StepCallback progress) {
        List<StepFeatures> features = new ArrayList<>();
        List<Double> deviations = new ArrayList<>();
        for (int k : steps) {
            Generation g = withTpm.steps(k).onStep(progress).generate(prompts, n);
            for (Trajectory t : g.trajectories()) {
                String category = StepFeatures.categoryOf(t.prompt());
                for (TrajectoryStep s : t.steps()) {
                    if (s.k() > 0) {
                        features.add(new StepFeatures(s.k(), s.t(), k, category));
                        deviations.add(s.r() - 0.5);
                    }
                }
            }
        }
        double[] d = deviations.stream().mapToDouble(Double::doubleValue).toArray();
        DistilledPolicy.Scope scope = new DistilledPolicy.Scope(backbone, withTpm.model().latentSize(), steps,
                withTpm.bound().cliName, source);
        return new Result(DistilledPolicy.fit(scope, features, d, maxDepth), features, d);
    }
}
