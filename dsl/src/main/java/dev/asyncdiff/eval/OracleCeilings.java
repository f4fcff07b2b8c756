package dev.asyncdiff.eval;

import dev.asyncdiff.model.tiny.TinyFlowModel;
import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.Oracle;
import dev.asyncdiff.world.OracleReport;
import dev.asyncdiff.world.SceneRenderer;
import dev.asyncdiff.world.SceneSampler;
import dev.asyncdiff.world.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Where the generator is not to blame: the oracle's scores on clean renders of the captions (the oracle's own
 * accuracy) and on the same renders after the autoencoder's encode → decode round trip (what a perfect DiT, one that
 * produced the true latents, would score). Upper bounds for the tiny model's quality table.
 */
public final class OracleCeilings {
    private static final int BATCH = 64;

    /** The two reports, on the same renders in caption order. */
    public record Result(OracleReport renders, OracleReport roundTrip) {
    }

    private OracleCeilings() {
    }

    /** One seeded render per caption, judged as rendered and after the model's autoencoder. */
    public static Result measure(TinyFlowModel model, List<Caption> captions, long seed) {
        Random rng = new Random(seed);
        List<Verdict> clean = new ArrayList<>(captions.size());
        List<Verdict> trip = new ArrayList<>(captions.size());
        for (int start = 0; start < captions.size(); start += BATCH) {
            int m = Math.min(BATCH, captions.size() - start);
            float[][] images = new float[m][];
            for (int i = 0; i < m; i++) {
                images[i] = SceneRenderer.renderChw(SceneSampler.sample(captions.get(start + i).requirements(), rng));
            }
            float[][] back = model.decodeImages(model.encodeImages(images));
            for (int i = 0; i < m; i++) {
                Caption c = captions.get(start + i);
                clean.add(Oracle.judge(TinyFlowModel.toImage(images[i]), c.requirements()));
                trip.add(Oracle.judge(TinyFlowModel.toImage(back[i]), c.requirements()));
            }
        }
        return new Result(OracleReport.of(captions, clean), OracleReport.of(captions, trip));
    }
}
