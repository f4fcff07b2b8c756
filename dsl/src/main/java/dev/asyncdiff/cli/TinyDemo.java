package dev.asyncdiff.cli;

import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.eval.ImageGrid;
import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.policy.Policies;
import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.Category;
import dev.asyncdiff.world.Oracle;
import dev.asyncdiff.world.PromptSplits;
import dev.asyncdiff.world.Split;
import picocli.CommandLine;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo on the embedded tiny model: the simplest validation prompt of each category (fewest objects, then
 * shortest), synchronous versus asynchronous
 * (fixed deviation +0.3) at few steps with the same seeds; writes grid.png (rows: prompts, columns: methods, the
 * first sample of each) and prints the oracle's accuracy per method and category over all samples.
 */
final class TinyDemo {
    private TinyDemo() {
    }

    static int run(int n, int steps, long seed, Path out) throws IOException {
        try (OutputFolder folder = OutputFolder.claim(out, "demo")) {
            compare(n, steps, seed, folder.dir(), out);
            folder.commit();
        }
        return CommandLine.ExitCode.OK;
    }

    /** Samples, judges and prints; writes grid.png into {@code dir}, which becomes {@code out}. */
    private static void compare(int n, int steps, long seed, Path dir, Path out) throws IOException {
        PromptSplits splits = PromptSplits.standard();
        List<String> prompts = new ArrayList<>();
        for (Category c : Category.values()) {
            prompts.add(splits.get(Split.VAL, c).stream()
                    .min(Comparator.comparingInt((Caption cap) -> cap.requirements().objectCount())
                            .thenComparingInt(cap -> cap.text().length()))
                    .orElseThrow().text());
        }
        Pipeline base = Pipeline.tiny().steps(steps).seed(seed);
        Map<String, Pipeline> methods = new LinkedHashMap<>();
        methods.put("sync", base.sync());
        methods.put("async fixed:+0.3", base.async(Policies.fixed(0.3)));

        StringColumn name = StringColumn.create("method");
        DoubleColumn overall = DoubleColumn.create("all");
        Map<Category, DoubleColumn> perCategory = new LinkedHashMap<>();
        for (Category c : Category.values()) {
            perCategory.put(c, DoubleColumn.create(c.name().toLowerCase()));
        }
        DoubleColumn dev = DoubleColumn.create("mean D");
        List<List<BufferedImage>> columns = new ArrayList<>();
        for (Map.Entry<String, Pipeline> m : methods.entrySet()) {
            Pipeline p = m.getValue();
            Generation g = StepProgress.generate(m.getKey(), p, prompts, n);
            int hits = 0;
            List<BufferedImage> firsts = new ArrayList<>();
            name.append(m.getKey());
            for (int c = 0; c < prompts.size(); c++) {
                int categoryHits = 0;
                for (int i = c * n; i < (c + 1) * n; i++) {
                    if (Oracle.judge(g.images().get(i), prompts.get(c)).satisfied()) {
                        categoryHits++;
                    }
                }
                hits += categoryHits;
                perCategory.get(Category.values()[c]).append((double) categoryHits / n);
                firsts.add(g.images().get(c * n));
            }
            overall.append((double) hits / (prompts.size() * n));
            dev.append(g.meanDeviation());
            columns.add(firsts);
        }
        List<BufferedImage> cells = new ArrayList<>();
        for (int row = 0; row < prompts.size(); row++) {
            for (List<BufferedImage> column : columns) {
                cells.add(column.get(row));
            }
        }
        BufferedImage grid = ImageGrid.of(cells, columns.size());
        AtomicFiles.write(dir.resolve("grid.png"), o -> ImageIO.write(grid, "png", o));

        Table table = Table.create("demo: embedded tiny model, " + steps + " steps, CFG " + base.guidance().scale()
                + ", " + n + " samples per prompt, seed " + seed + " (oracle accuracy)");
        table.addColumns(name, overall);
        perCategory.values().forEach(table::addColumns);
        table.addColumns(dev);
        for (DoubleColumn c : table.columnsOfType(tech.tablesaw.api.ColumnType.DOUBLE).stream()
                .map(DoubleColumn.class::cast).toList()) {
            c.setPrintFormatter(new DecimalFormat("0.000"), "");
        }
        System.out.println(table.print());
        System.out.println("grid " + out.resolve("grid.png") + ": rows are prompts, columns "
                + String.join(", ", methods.keySet()));
        for (int i = 0; i < prompts.size(); i++) {
            System.out.println("  row " + (i + 1) + " (" + Category.values()[i].name().toLowerCase() + "): "
                    + prompts.get(i));
        }
    }
}
