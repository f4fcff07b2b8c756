package dev.asyncdiff.eval;

import dev.asyncdiff.eval.plot.ChartFiles;
import dev.asyncdiff.eval.plot.DeviationBoxPlot;
import dev.asyncdiff.eval.plot.MetricsVersusGamma;
import dev.asyncdiff.eval.plot.QualitativeGrid;
import dev.asyncdiff.sample.Trajectory;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The figures of an {@code eval --methods} folder, under {@code figures/}: rewards against γ (Fig. 2) when methods
 * differ only in γ or the bound, a labelled image grid per step count (Fig. 5–6), and per-step deviation box plots
 * (Fig. 3–4) for the cells this process sampled whose deviation differs between samples.
 */
public final class EvaluationFigures {
    public static final String DIR = "figures";
    /** The grid shows the first sample of at most this many prompts. */
    static final int GRID_PROMPTS = 6;

    private EvaluationFigures() {
    }

    /**
     * @param rows         every scored image, in the order of the requested step counts and methods
     * @param trajectories per cell ({@link MethodComparison#key}) that has them
     * @return the files written
     */
    static List<Path> write(Path out, List<ImageScore> rows, Map<String, List<Trajectory>> trajectories)
            throws IOException {
        Path dir = out.resolve(DIR);
        List<Path> files = new ArrayList<>();
        if (MetricsVersusGamma.applies(rows)) {
            for (String reward : rows.get(0).scores().keySet()) {
                String name = "metrics-vs-gamma-" + fileName(reward);
                ChartFiles.write(MetricsVersusGamma.chart(rows, reward), dir, name);
                files.add(dir.resolve(name + ".png"));
                files.add(dir.resolve(name + ".svg"));
            }
        }
        Map<Integer, List<ImageScore>> bySteps = new LinkedHashMap<>();
        rows.forEach(r -> bySteps.computeIfAbsent(r.steps(), k -> new ArrayList<>()).add(r));
        for (Map.Entry<Integer, List<ImageScore>> e : bySteps.entrySet()) {
            String name = "grid-" + e.getKey();
            ChartFiles.write(grid(out, e.getKey(), e.getValue()).image(), dir, name);
            files.add(dir.resolve(name + ".png"));
        }
        for (Map.Entry<Integer, List<ImageScore>> e : bySteps.entrySet()) {
            for (String method : new LinkedHashSet<>(e.getValue().stream().map(ImageScore::method).toList())) {
                List<Trajectory> ts = trajectories.get(MethodComparison.key(e.getKey(), method));
                if (ts != null && DeviationBoxPlot.varies(ts)) {
                    String name = "deviation-" + e.getKey() + "-" + Evaluation.folderName(method);
                    ChartFiles.write(DeviationBoxPlot.chart(ts, method + ", " + e.getKey() + " steps"), dir, name);
                    files.add(dir.resolve(name + ".png"));
                    files.add(dir.resolve(name + ".svg"));
                }
            }
        }
        return files;
    }

    /** The first sample of each of the first prompts, one column per method, read back from the saved images. */
    private static QualitativeGrid grid(Path out, int steps, List<ImageScore> rows) throws IOException {
        Map<String, Integer> firstSample = new LinkedHashMap<>();
        rows.stream().sorted(java.util.Comparator.comparingInt(ImageScore::sample))
                .forEach(r -> {
                    if (firstSample.size() < GRID_PROMPTS || firstSample.containsKey(r.prompt())) {
                        firstSample.putIfAbsent(r.prompt(), r.sample());
                    }
                });
        List<String> methods = List.copyOf(new LinkedHashSet<>(rows.stream().map(ImageScore::method).toList()));
        List<List<BufferedImage>> cells = new ArrayList<>();
        for (int sample : firstSample.values()) {
            List<BufferedImage> row = new ArrayList<>();
            for (String m : methods) {
                Path file = Evaluation.imagePath(out, steps, m, sample);
                BufferedImage image = ImageIO.read(file.toFile());
                if (image == null) {
                    throw new IOException(file + " is not a readable PNG; delete the evaluation folder and run again");
                }
                row.add(image);
            }
            cells.add(row);
        }
        return QualitativeGrid.of(List.copyOf(firstSample.keySet()), methods, cells);
    }

    private static String fileName(String reward) {
        return reward.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
