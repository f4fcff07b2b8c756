package dev.asyncdiff.model.tiny;

import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.Category;
import dev.asyncdiff.world.Oracle;
import dev.asyncdiff.world.OracleReport;
import dev.asyncdiff.world.PromptSplits;
import dev.asyncdiff.world.SceneRenderer;
import dev.asyncdiff.world.SceneSampler;
import dev.asyncdiff.world.Split;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Measures a tiny model (the shipped one, or the folder given as first argument): autoencoder PSNR on val renders,
 * oracle accuracy per category on val captions with synchronous Euler and CFG 5 at several step counts, and the
 * time to sample 16 images at 10 steps with CFG. Usage: {@code TinyModelReport [DIR] [PER_CATEGORY] [STEPS,…]}.
 */
public final class TinyModelReport {
    private TinyModelReport() {
    }

    public static void main(String[] args) {
        TinyFlowModel model = args.length > 0 && !args[0].equals("-") ? TinyFlowModel.load(Path.of(args[0]))
                : TinyFlowModel.load();
        int perCategory = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        String steps = args.length > 2 ? args[2] : "10,15,50";
        PromptSplits splits = PromptSplits.generate(SceneData.SPLITS_SEED);
        System.out.printf("parameters: %,d%n", model.parameterCount());
        System.out.printf("autoencoder PSNR on 256 val renders: %.2f dB%n", psnr(model, splits, 256));
        System.out.printf("sampling 16 images x 10 steps, CFG 5: %.2f s%n", samplingSeconds(model));
        for (String s : steps.split(",")) {
            int k = Integer.parseInt(s.trim());
            long t0 = System.nanoTime();
            OracleReport r = oracle(model, splits, perCategory, k);
            System.out.printf("%n### %d steps, CFG 5, %d val captions per category (%.0f s)%n%n%s%n", k, perCategory,
                    (System.nanoTime() - t0) / 1e9, r.toMarkdown());
        }
        model.close();
    }

    /** Mean PSNR (over images) of encode → decode on renders of val captions, pixels in [−1, 1]. */
    static double psnr(TinyFlowModel model, PromptSplits splits, int n) {
        List<Caption> val = splits.get(Split.VAL);
        Random rng = new Random(11);
        double total = 0;
        for (int start = 0; start < n; start += 64) {
            int m = Math.min(64, n - start);
            float[][] images = new float[m][];
            for (int i = 0; i < m; i++) {
                Caption c = val.get(rng.nextInt(val.size()));
                images[i] = SceneRenderer.renderChw(SceneSampler.sample(c.requirements(), rng));
            }
            float[][] back = model.decodeImages(model.encodeImages(images));
            for (int i = 0; i < m; i++) {
                total += psnr(images[i], back[i]);
            }
        }
        return total / n;
    }

    static double psnr(float[] a, float[] b) {
        double se = 0;
        for (int j = 0; j < a.length; j++) {
            double d = a[j] - b[j];
            se += d * d;
        }
        return 10 * Math.log10(4.0 / (se / a.length)); // peak-to-peak 2 in [−1, 1]
    }

    static double samplingSeconds(TinyFlowModel model) {
        Pipeline p = Pipeline.of(model, "tiny").steps(10).cfg(5).batchSize(16);
        p.generate("a red circle", 16);
        long t0 = System.nanoTime();
        p.generate("two striped blue squares above a dotted star", 16);
        return (System.nanoTime() - t0) / 1e9;
    }

    static OracleReport oracle(TinyFlowModel model, PromptSplits splits, int perCategory, int steps) {
        List<Caption> captions = new ArrayList<>();
        for (Category c : Category.values()) {
            List<Caption> val = splits.get(Split.VAL, c);
            captions.addAll(val.subList(0, Math.min(perCategory, val.size())));
        }
        Pipeline p = Pipeline.of(model, "tiny").steps(steps).cfg(5).batchSize(64);
        Generation g = p.generate(captions.stream().map(Caption::text).toList(), 1);
        List<BufferedImage> images = g.images();
        List<dev.asyncdiff.world.Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < captions.size(); i++) {
            verdicts.add(Oracle.judge(images.get(i), captions.get(i).requirements()));
        }
        return OracleReport.of(captions, verdicts);
    }
}
