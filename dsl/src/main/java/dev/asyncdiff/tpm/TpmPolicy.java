package dev.asyncdiff.tpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.io.Warnings;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.Latents;
import dev.asyncdiff.model.TextTokens;
import dev.asyncdiff.model.tiny.TinyFlowModel;
import dev.asyncdiff.model.tiny.WeightsIdentity;
import dev.asyncdiff.nn.NativeData;
import dev.asyncdiff.nn.NoGrad;
import dev.asyncdiff.policy.BetaDistribution;
import dev.asyncdiff.policy.Decision;
import dev.asyncdiff.policy.PolicyInput;
import dev.asyncdiff.policy.TimestepPolicy;
import dev.asyncdiff.sample.DeviationBound;

import java.util.Optional;

/**
 * A TPM as a timestep policy: at every step k ≥ 1 it reads the previous step's latent, guided velocity, clean-image
 * prediction and pseudo-timestep, the text condition and the time, and chooses r from its Beta(α, β) — the mode
 * (Eq. 18) for evaluation, or a draw from the sample's own random stream for training and {@code --stochastic}
 * (so a sample gets the same r alone or in any batch). At k = 0 there is no previous step: r = 0.5 (the first step
 * is synchronous in asynchronous mode, and ω = 1 in velocity-scale mode).
 */
public final class TpmPolicy implements TimestepPolicy {
    /** How r is taken from the distribution. */
    public enum Choice { MODE, SAMPLE }

    private final Tpm tpm;
    private final int[][] gather;
    private final Choice choice;
    private final String spec;

    private TpmPolicy(Tpm tpm, int[][] gather, Choice choice, String spec) {
        this.tpm = tpm;
        this.gather = gather;
        this.choice = choice;
        this.spec = spec;
    }

    /**
     * The TPM as a policy for {@code model} (named {@code backbone}); a TPM built for another backbone is refused, and
     * one trained on other weights of this backbone gives one warning line (it runs, but what it learned was for
     * those weights).
     *
     * @param spec the name the policy reports, e.g. {@code tpm:out/tpm}
     */
    public static TpmPolicy of(Tpm tpm, String backbone, FlowModel model, Choice choice, String spec) {
        tpm.config().checkFits(backbone, model);
        Optional<WeightsIdentity> now = model instanceof TinyFlowModel t ? t.weights() : Optional.empty();
        tpm.provenance().flatMap(TpmProvenance::weightsIdentity).ifPresent(trained -> now
                .filter(w -> !w.sameWeights(trained)).ifPresent(w -> Warnings.once("TPM " + spec + " was trained on "
                        + "the tiny weights " + trained + ", not on these (" + w + "); retrain it on these with "
                        + "train-tpm")));
        int positions = tpm.config().positions();
        int per = tpm.config().entriesPerPosition();
        int[][] gather = new int[positions][per];
        int[] filled = new int[positions];
        for (int i = 0; i < model.latentSize(); i++) {
            int p = tpm.config().tokenOf(model.positionOf(i), model.positions());
            gather[p][filled[p]++] = i;
        }
        return new TpmPolicy(tpm, gather, choice, spec);
    }

    @Override
    public double[] decide(PolicyInput in) {
        return decision(in).r();
    }

    /** r per sample with the Beta it came from (none at k = 0, where r = 0.5 is not the TPM's choice). */
    @Override
    public Decision decision(PolicyInput in) {
        double[] r = new double[in.size()];
        if (in.step() == 0) {
            java.util.Arrays.fill(r, 0.5);
            return new Decision(r, null);
        }
        BetaDistribution[] d = distributions(in);
        for (int i = 0; i < r.length; i++) {
            r[i] = choice == Choice.MODE ? d[i].mode() : d[i].sample(in.random()[i]);
        }
        return new Decision(r, d);
    }

    /** The Beta distribution of r for every sample at step k ≥ 1. */
    public BetaDistribution[] distributions(PolicyInput in) {
        if (in.step() == 0) {
            throw new IllegalArgumentException("the TPM decides from the previous step; step 0 has none");
        }
        try (NoGrad ignored = NoGrad.enter(); NDScope scope = new NDScope()) {
            float[] ab = forward(tpm.params().get("readout").getManager(), in).toFloatArray();
            BetaDistribution[] out = new BetaDistribution[in.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = BetaDistribution.fromTpmOutputs(ab[2 * i], ab[2 * i + 1]);
            }
            return out;
        }
    }

    /** The TPM's raw (a, b) [B, 2] for a step's inputs, in {@code manager} (differentiable when grad is on). */
    public NDArray forward(NDManager manager, PolicyInput in) {
        return forward(manager, java.util.List.of(in));
    }

    /**
     * The TPM's raw (a, b) for several steps' inputs in one batch: [ΣB, 2], the rows of {@code inputs} in order (GRPO
     * replays all steps of a mini-batch at once).
     */
    public NDArray forward(NDManager manager, java.util.List<PolicyInput> inputs) {
        int b = inputs.stream().mapToInt(PolicyInput::size).sum();
        int positions = gather.length;
        int per = gather[0].length;
        float[] temporal = new float[b * 3];
        TpmConfig c = tpm.config();
        float[] tokens = c.textTokens() > 0 ? new float[b * c.textTokens() * c.textWidth()] : null;
        float[] valid = c.textTokens() > 0 ? new float[b * c.textTokens()] : null;
        NDList spatial = new NDList(inputs.size());
        int row = 0;
        for (PolicyInput in : inputs) {
            int k = in.step();
            int steps = in.grid().length - 1;
            TextTokens tt = c.textTokens() > 0 ? textTokens(in) : null;
            // x, v*, x0 of each sample side by side: [B, 3, D], read where they are (native inside a sampling run)
            spatial.add(NDArrays.stack(new NDList(onNative(manager, in.latent()), onNative(manager, in.velocity()),
                    onNative(manager, in.cleanPrediction())), 1));
            for (int s = 0; s < in.size(); s++, row++) {
                temporal[3 * row] = (float) in.grid()[k];
                temporal[3 * row + 1] = (float) in.previousTCond()[s];
                temporal[3 * row + 2] = (float) k / steps;
                if (tt != null) {
                    System.arraycopy(tt.tokens()[s], 0, tokens, row * c.textTokens() * c.textWidth(),
                            c.textTokens() * c.textWidth());
                    System.arraycopy(tt.mask()[s], 0, valid, row * c.textTokens(), c.textTokens());
                }
            }
        }
        NDArray all = spatial.size() == 1 ? spatial.head() : NDArrays.concat(spatial);
        // each latent token's entries, token-major: [ΣB, 3, P·per] → [ΣB, P, 3·per]
        NDArray index = NativeData.of(manager, patchIndex()).reshape(1, 1, (long) positions * per)
                .broadcast(new Shape(b, 3, (long) positions * per));
        NDArray latent = all.gather(index, 2).reshape(b, 3, positions, per)
                .transpose(0, 2, 1, 3).reshape(b, positions, 3L * per);
        NDArray text = tokens == null ? null
                : NativeData.of(manager, tokens, new Shape(b, c.textTokens(), c.textWidth()));
        NDArray mask = valid == null ? null : NativeData.of(manager, valid, new Shape(b, c.textTokens()));
        return tpm.forward(latent, text, mask, NativeData.of(manager, temporal, new Shape(b, 3)));
    }

    /** The latent entries of token p, in order, for every p: the gather index of the patches. */
    private long[] patchIndex() {
        int per = gather[0].length;
        long[] out = new long[gather.length * per];
        for (int p = 0; p < gather.length; p++) {
            for (int e = 0; e < per; e++) {
                out[p * per + e] = gather[p][e];
            }
        }
        return out;
    }

    /** A batch as a native [B, D]: the sampler's own array, or rows uploaded into {@code manager} for this call. */
    private static NDArray onNative(NDManager manager, Latents l) {
        return l.isNative() ? l.array() : Latents.array(manager, l.rows());
    }

    private static TextTokens textTokens(PolicyInput in) {
        if (!(in.condition() instanceof TextTokens tt)) {
            throw new IllegalArgumentException("this TPM reads text tokens, which the backbone's conditioning "
                    + in.condition().getClass().getSimpleName() + " does not hold");
        }
        return tt;
    }

    public Tpm tpm() {
        return tpm;
    }

    /** The same policy reading another TPM of the same shape, e.g. GRPO's frozen reference. */
    public TpmPolicy withTpm(Tpm other) {
        if (!other.config().equals(tpm.config())) {
            throw new IllegalArgumentException("a TPM of shape " + other.config().toJson() + " cannot stand in for one of "
                    + tpm.config().toJson());
        }
        return new TpmPolicy(other, gather, choice, spec);
    }

    @Override
    public String spec() {
        return spec;
    }

    /** The bound its training record names; empty for a TPM without one. */
    @Override
    public Optional<DeviationBound> trainedBound() {
        return tpm.provenance().map(TpmProvenance::bound);
    }
}
