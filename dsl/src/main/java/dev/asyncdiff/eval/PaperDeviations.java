package dev.asyncdiff.eval;

import java.util.List;
import java.util.Locale;

/**
 * Stand-ins for TPMs not trained (the tiny backbone before its TPMs ship, and the real backbones, which cannot be
 * trained here): a fixed deviation equal to the mean deviation the paper reports for each TPM at that setting
 * (Tables 1–2, DESIGN.md §1.2); a lifted TPM's deviation D = 2r − 1 becomes {@code fixed:D/2:lifted}. The deviation
 * figures need a policy whose deviation varies, so the time-shift sampler stands in there.
 *
 * @param boundedDeviation the paper's mean deviation of its TPM (0.5 + r)
 * @param liftedDeviation  the paper's mean deviation of its TPM (2r)
 */
record PaperDeviations(double boundedDeviation, double liftedDeviation) implements PolicyRows {
    @Override
    public Method bounded() {
        return Method.parse("fixed:" + boundedDeviation);
    }

    @Override
    public Method lifted() {
        return Method.parse("fixed:" + liftedDeviation / 2 + ":lifted");
    }

    @Override
    public List<Method> varying() {
        return List.of(Method.parse("timeshift"));
    }

    @Override
    public String note(String table) {
        return String.format(Locale.ROOT, "TPMs are not trained yet: fixed:%s stands in for TPM (0.5 + r) and "
                + "fixed:%s:lifted for TPM (2r), their mean deviations in the paper's %s (+%.3f and +%.3f).",
                boundedDeviation, liftedDeviation / 2, table, boundedDeviation, liftedDeviation);
    }

    @Override
    public String deviationsNote() {
        return "TPMs are not trained yet: the time-shift sampler (a state-dependent, training-free policy) stands in "
                + "for the learned policy whose per-step deviations the paper plots.";
    }

    @Override
    public String velocityNote() {
        String p = bounded().spec();
        return "TPMs are not trained yet: " + p + " (the paper's mean deviation of TPM (0.5 + r) in Table 1) stands "
                + "in for the learned policy; " + p + ":velocity-scale applies the same r as a velocity multiplier "
                + "ω = 0.5 + r at the grid time instead.";
    }
}
