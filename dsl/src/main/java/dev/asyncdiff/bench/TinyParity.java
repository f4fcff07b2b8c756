package dev.asyncdiff.bench;

import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.model.tiny.TinyFlowModel;
import dev.asyncdiff.model.tiny.Tokenizer;
import dev.asyncdiff.sample.SampleStream;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The tiny model's velocity against the independent PyTorch reference ({@link PythonReference}) on seeded random
 * inputs: latents, times per sample and per token, validation prompts followed by rows of the null condition. The
 * two sides share only the weights file and the inputs, so agreement checks the Java forward pass as a whole.
 */
public final class TinyParity {
    /** The relative error (max|a − b| / max|b|) the velocity must stay within. */
    public static final double TARGET = 1e-4;

    /**
     * @param perSample velocity with one time per sample
     * @param perToken  velocity with one time per latent patch
     * @param attention each block's head-averaged cross-attention at the per-token times
     */
    public record Result(int conditional, int unconditional, String torchVersion, Discrepancy perSample,
                         Discrepancy perToken, Discrepancy attention) {
        public boolean withinTarget() {
            return perSample.maxRel() <= TARGET && perToken.maxRel() <= TARGET;
        }
    }

    private TinyParity() {
    }

    /** Writes the inputs and the reference's output into {@code dir}. */
    public static Result run(TinyFlowModel model, PythonReference reference, int conditional, int unconditional,
                             long seed, Path dir) throws IOException {
        if (conditional < 0 || unconditional < 0 || conditional + unconditional < 1) {
            throw new IllegalArgumentException("parity needs at least one row (got " + conditional
                    + " conditional and " + unconditional + " unconditional)");
        }
        int b = conditional + unconditional;
        int[] latent = model.latentShape();
        int positions = model.positions();
        SplittableRandom random = new SplittableRandom(seed);
        List<String> prompts = ValPrompts.draw(conditional, random);
        float[][] x = new float[b][];
        double[] tSample = new double[b];
        double[][] tToken = new double[b][positions];
        for (int i = 0; i < b; i++) {
            x[i] = new SampleStream(seed, i).gaussianVector(model.latentSize());
            tSample[i] = random.nextDouble();
            for (int p = 0; p < positions; p++) {
                tToken[i][p] = random.nextDouble();
            }
        }
        Conditioning c = model.encode(prompts).concat(model.unconditional(unconditional));
        Timesteps perSample = new Timesteps.PerSample(tSample);
        Timesteps perToken = new Timesteps.PerToken(tToken);
        float[] vSample = flat(model.velocity(x, perSample, c));
        float[] vToken = flat(model.velocity(x, perToken, c));
        float[] attention = flat(model.crossAttention(x, perToken, c));

        Map<String, Safetensors.Tensor> inputs = new LinkedHashMap<>();
        inputs.put("x", Safetensors.stack(x, latent));
        inputs.put("t_sample", Safetensors.stack(asRows(tSample), new int[] {1}));
        inputs.put("t_token", Safetensors.stack(asFloats(tToken), new int[] {positions}));
        inputs.put("ids", Safetensors.stack(ids(model.tokenizer(), prompts, b), new int[] {
                model.tokenizer().maxTokens()}));
        float[] flags = new float[b];
        Arrays.fill(flags, conditional, b, 1f);
        inputs.put("unconditional", new Safetensors.Tensor(new int[] {b}, flags));
        AtomicFiles.write(dir.resolve("inputs.safetensors"), Safetensors.encode(inputs));

        model.save(dir);
        String version = reference.parity(dir, dir.resolve(TinyFlowModel.WEIGHTS_FILE));
        Map<String, Safetensors.Tensor> ref = PythonReference.read(dir.resolve("reference.safetensors"));
        return new Result(conditional, unconditional, version,
                Discrepancy.between(vSample, PythonReference.data(ref, "v_sample")),
                Discrepancy.between(vToken, PythonReference.data(ref, "v_token")),
                Discrepancy.between(attention, PythonReference.data(ref, "attention_token")));
    }

    /** Token ids of the prompts, padded with 0, then all-padding rows up to {@code rows} (the null condition's). */
    static float[][] ids(Tokenizer tokenizer, List<String> prompts, int rows) {
        float[][] out = new float[rows][tokenizer.maxTokens()];
        for (int i = 0; i < prompts.size(); i++) {
            int[] row = tokenizer.encode(prompts.get(i));
            for (int j = 0; j < row.length; j++) {
                out[i][j] = row[j];
            }
        }
        return out;
    }

    static float[] flat(float[][] rows) {
        return Safetensors.stack(rows, new int[] {rows[0].length}).data();
    }

    private static float[] flat(float[][][][] blocks) {
        int n = 0;
        for (float[][][] block : blocks) {
            for (float[][] sample : block) {
                for (float[] position : sample) {
                    n += position.length;
                }
            }
        }
        float[] out = new float[n];
        int k = 0;
        for (float[][][] block : blocks) {
            for (float[][] sample : block) {
                for (float[] position : sample) {
                    System.arraycopy(position, 0, out, k, position.length);
                    k += position.length;
                }
            }
        }
        return out;
    }

    private static float[][] asRows(double[] v) {
        float[][] out = new float[v.length][1];
        for (int i = 0; i < v.length; i++) {
            out[i][0] = (float) v[i];
        }
        return out;
    }

    private static float[][] asFloats(double[][] v) {
        float[][] out = new float[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = new float[v[i].length];
            for (int j = 0; j < v[i].length; j++) {
                out[i][j] = (float) v[i][j];
            }
        }
        return out;
    }
}
