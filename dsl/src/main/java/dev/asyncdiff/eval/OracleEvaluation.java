package dev.asyncdiff.eval;

import dev.asyncdiff.Generation;
import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.Category;
import dev.asyncdiff.world.Oracle;
import dev.asyncdiff.world.OracleReport;
import dev.asyncdiff.world.PromptSplits;
import dev.asyncdiff.world.Split;
import dev.asyncdiff.world.Verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * Alignment of generated images with their captions as the world's oracle judges it, GenEval / T2I-CompBench style:
 * one image per caption, the share of captions whose every stated object, attribute, count and relation holds.
 */
public final class OracleEvaluation {
    private OracleEvaluation() {
    }

    /** The first {@code perCategory} captions of each category of a split of the standard splits. */
    public static List<Caption> captions(Split split, int perCategory) {
        if (perCategory < 1) {
            throw new IllegalArgumentException("captions per category must be at least 1 (got " + perCategory + ")");
        }
        PromptSplits splits = PromptSplits.standard();
        List<Caption> out = new ArrayList<>();
        for (Category c : Category.values()) {
            List<Caption> all = splits.get(split, c);
            out.addAll(all.subList(0, Math.min(perCategory, all.size())));
        }
        return out;
    }

    /** The captions' texts, in order: the prompts to generate one image each for. */
    public static List<String> prompts(List<Caption> captions) {
        return captions.stream().map(Caption::text).toList();
    }

    /** Judges image i of a generation (one sample per caption, in caption order) against caption i. */
    public static OracleReport judge(Generation g, List<Caption> captions) {
        if (g.images().size() != captions.size()) {
            throw new IllegalArgumentException("need one image per caption (got " + g.images().size() + " images, "
                    + captions.size() + " captions)");
        }
        List<Verdict> verdicts = new ArrayList<>(captions.size());
        for (int i = 0; i < captions.size(); i++) {
            verdicts.add(Oracle.judge(g.images().get(i), captions.get(i).requirements()));
        }
        return OracleReport.of(captions, verdicts);
    }
}
