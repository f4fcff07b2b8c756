package dev.asyncdiff.kernel;

import dev.asyncdiff.rl.Grpo;
import dev.asyncdiff.rl.TrainingListener;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingDisplayTest {
    /** A notebook front end that keeps what is shown under each display id. */
    private static final class Shown implements DisplaySink {
        final Map<String, Object> byId = new LinkedHashMap<>();
        int updates;

        @Override
        public String display(Object value) {
            String id = "d" + byId.size();
            byId.put(id, value);
            return id;
        }

        @Override
        public void update(String id, Object value) {
            assertTrue(byId.containsKey(id), "updates an existing display");
            byId.put(id, value);
            updates++;
        }

        @Override
        public boolean live() {
            return true;
        }
    }

    private final DisplaySink before = Notebook.sink();

    @AfterEach
    void restore() {
        Notebook.use(before);
    }

    private static TrainingListener.Record record(int i, double oracle, double deviation) {
        Grpo.Iteration it = new Grpo.Iteration(i, "a red circle", 0, 1, false, 0, 0.25, 0, Double.NaN, 1, deviation,
                1, 1, 1);
        return new TrainingListener.Record(5, it, Map.of("oracle", oracle));
    }

    @Test
    void theCurveAndTheProgressLineAreReplacedInPlaceEveryIteration() {
        Shown shown = new Shown();
        Notebook.use(shown);
        TrainingDisplay view = Notebook.trainingProgress();
        view.started(2, 5);
        double[] oracle = {0.4, 0.5, 0.7};
        double[] deviation = {0.01, 0.05, 0.12};
        for (int i = 0; i < 3; i++) {
            view.iteration(record(2 + i, oracle[i], deviation[i]));
        }
        assertEquals(2, shown.byId.size(), "one progress line and one chart");
        assertEquals(4, shown.updates);
        assertArrayEquals(oracle, view.chart().getSeries("oracle").getYData(), 0);
        assertArrayEquals(deviation, view.chart().getSeries(TrainingDisplay.DEVIATION).getYData(), 0);
        assertArrayEquals(new double[] {2, 3, 4}, view.chart().getSeries("oracle").getXData(), 0);
        String line = (String) ((DisplayData) shown.byId.get("d0")).getData(MIMEType.TEXT_PLAIN);
        assertTrue(line.startsWith("GRPO: 5/5 iterations, done in "), line);
        assertTrue(shown.byId.get("d1") == view.chart());
    }
}
