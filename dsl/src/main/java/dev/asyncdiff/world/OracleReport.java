package dev.asyncdiff.world;

import java.util.Collections;
import java.util.EnumMap;
import java.util.TreeMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The oracle's accuracy over a set of judged captions: per category and per number of objects the caption asks
 * for, the share of captions whose every check passed (as T2I-CompBench and GenEval report), and per kind of
 * check, the share of checks that passed.
 */
public record OracleReport(Map<Category, Tally> byCategory, Map<Integer, Tally> byObjects,
                           Map<CheckKind, Tally> byCheck) {

    /** {@code passed} of {@code total}. */
    public record Tally(int passed, int total) {
        public double accuracy() {
            return total == 0 ? Double.NaN : (double) passed / total;
        }

        Tally plus(boolean pass) {
            return new Tally(passed + (pass ? 1 : 0), total + 1);
        }
    }

    public OracleReport {
        byCategory = Map.copyOf(byCategory);
        byObjects = Collections.unmodifiableSortedMap(new TreeMap<>(byObjects));
        byCheck = Map.copyOf(byCheck);
    }

    /** Tallies verdicts; {@code verdicts.get(i)} judges {@code captions.get(i)}. */
    public static OracleReport of(List<Caption> captions, List<Verdict> verdicts) {
        if (captions.size() != verdicts.size()) {
            throw new IllegalArgumentException("need one verdict per caption (got " + captions.size() + " captions, "
                    + verdicts.size() + " verdicts)");
        }
        Map<Category, Tally> byCategory = new EnumMap<>(Category.class);
        Map<Integer, Tally> byObjects = new TreeMap<>();
        Map<CheckKind, Tally> byCheck = new EnumMap<>(CheckKind.class);
        for (int i = 0; i < captions.size(); i++) {
            Verdict v = verdicts.get(i);
            Tally one = new Tally(0, 0).plus(v.satisfied());
            byCategory.merge(captions.get(i).category(), one, OracleReport::sum);
            byObjects.merge(captions.get(i).requirements().objectCount(), one, OracleReport::sum);
            for (Check c : v.checks()) {
                byCheck.merge(c.kind(), new Tally(0, 0).plus(c.passed()), OracleReport::sum);
            }
        }
        return new OracleReport(byCategory, byObjects, byCheck);
    }

    /** The share of a category's captions fully satisfied; NaN when none was judged. */
    public double accuracy(Category category) {
        return byCategory.getOrDefault(category, new Tally(0, 0)).accuracy();
    }

    /** The share of the captions asking for {@code objects} objects that were fully satisfied; NaN when none. */
    public double accuracyByObjects(int objects) {
        return byObjects.getOrDefault(objects, new Tally(0, 0)).accuracy();
    }

    /** The share of all captions fully satisfied. */
    public double overall() {
        int passed = byCategory.values().stream().mapToInt(Tally::passed).sum();
        int total = byCategory.values().stream().mapToInt(Tally::total).sum();
        return new Tally(passed, total).accuracy();
    }

    /** The report as three Markdown tables: per category, per number of objects, per kind of check. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder("| category | captions | accuracy |\n|---|---:|---:|\n");
        for (Category c : Category.values()) {
            Tally t = byCategory.get(c);
            if (t != null) {
                sb.append(String.format(Locale.ROOT, "| %s | %d | %.4f |%n", c.label(), t.total(), t.accuracy()));
            }
        }
        sb.append(String.format(Locale.ROOT, "| all | %d | %.4f |%n%n",
                byCategory.values().stream().mapToInt(Tally::total).sum(), overall()));
        sb.append("| objects | captions | accuracy |\n|---:|---:|---:|\n");
        byObjects.forEach((n, t) -> sb.append(String.format(Locale.ROOT, "| %d | %d | %.4f |%n", n, t.total(),
                t.accuracy())));
        sb.append('\n');
        sb.append("| check | checks | passed |\n|---|---:|---:|\n");
        for (CheckKind k : CheckKind.values()) {
            Tally t = byCheck.get(k);
            if (t != null) {
                sb.append(String.format(Locale.ROOT, "| %s | %d | %.4f |%n", k.label(), t.total(), t.accuracy()));
            }
        }
        return sb.toString();
    }

    private static Tally sum(Tally a, Tally b) {
        return new Tally(a.passed() + b.passed(), a.total() + b.total());
    }
}
