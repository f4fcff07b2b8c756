package dev.asyncdiff.kernel;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code asyncdiff bench kernel --compare}: JVM option sets for the kernel side by side. In each round the
 * kernelspec's own command and then every variant (its options in place of {@link KernelSpecs#TUNING_FLAGS}) are
 * benchmarked in turn, so slow phases of a busy machine hit all of them alike; cell times are pooled over rounds.
 *
 * @param rows the kernelspec's own command first, then the variants in the order given
 */
record KernelJvmComparison(String cell, int rounds, int warmup, int cells, List<Row> rows) {
    /** One option set: its name, mean start time, median cell time and that median over the kernelspec's. */
    record Row(String options, double startSeconds, double medianMillis, double ratio) {
    }

    static KernelJvmComparison run(List<List<String>> variants, String cell, int rounds, int warmup, int cells)
            throws IOException, InterruptedException {
        List<List<String>> all = new ArrayList<>();
        all.add(KernelSpecs.TUNING_FLAGS);
        all.addAll(variants);
        List<List<Double>> times = new ArrayList<>();   // pooled over rounds, per option set
        double[] starts = new double[all.size()];
        all.forEach(v -> times.add(new ArrayList<>()));
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < all.size(); v++) {
                KernelBench.Result res = KernelBench.run(cell, warmup, cells, all.get(v));
                starts[v] += res.startSeconds() / rounds;
                for (double t : res.cellMillis()) {
                    times.get(v).add(t);
                }
            }
        }
        double base = median(times.get(0));
        List<Row> rows = new ArrayList<>();
        for (int v = 0; v < all.size(); v++) {
            String name = v == 0 ? KernelSpecs.TUNING + " (kernelspec)" : String.join(" ", all.get(v));
            double m = median(times.get(v));
            rows.add(new Row(name, starts[v], m, m / base));
        }
        return new KernelJvmComparison(cell, rounds, warmup, cells, List.copyOf(rows));
    }

    private static double median(List<Double> values) {
        return KernelBench.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    String table() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%-50s %10s %12s %9s%n", "JVM tuning options", "start (s)", "cell (ms)", "ratio"));
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "%-50s %10.2f %12.1f %9.2f%n", r.options(), r.startSeconds(),
                    r.medianMillis(), r.ratio()));
        }
        out.append(String.format(Locale.ROOT, "median of %d cells \"%s\" each (%d rounds, %d warm-up per kernel); "
                        + "%d cores, load average %.1f", rounds * cells, cell, rounds, warmup,
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        return out.toString();
    }
}
