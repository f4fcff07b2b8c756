package dev.asyncdiff.eval;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.tiny.TinyFlowModel;
import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.Oracle;
import dev.asyncdiff.world.SceneRenderer;
import dev.asyncdiff.world.SceneSampler;
import dev.asyncdiff.world.Split;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OracleCeilingsTest {
    /** The shipped weights, shared with every other user of the tiny preset in this JVM. */
    private final TinyFlowModel model = (TinyFlowModel) Pipeline.tiny().model();
    private final List<Caption> captions = OracleEvaluation.captions(Split.VAL, 3);

    @Test
    void theRenderCeilingIsTheOraclesVerdictOnEachCaptionsSeededRender() {
        OracleCeilings.Result r = OracleCeilings.measure(model, captions, 9);
        Random rng = new Random(9);
        long satisfied = captions.stream()
                .filter(c -> Oracle.judge(SceneRenderer.render(SceneSampler.sample(c.requirements(), rng)),
                        c.requirements()).satisfied())
                .count();
        assertEquals(satisfied / (double) captions.size(), r.renders().overall(), 1e-12);
    }

    @Test
    void bothCeilingsJudgeTheSameChecksAndRepeatWithTheSeed() {
        OracleCeilings.Result a = OracleCeilings.measure(model, captions, 4);
        OracleCeilings.Result b = OracleCeilings.measure(model, captions, 4);
        assertEquals(a, b);
        a.renders().byCheck().forEach((kind, tally) ->
                assertEquals(tally.total(), a.roundTrip().byCheck().get(kind).total(), kind.label()));
    }
}
