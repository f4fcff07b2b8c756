package dev.asyncdiff.eval;

import dev.asyncdiff.tpm.ShippedTpm;

import java.util.List;

/**
 * The shipped TPMs in the learned-policy rows ({@code tpm:shipped}, bounded, and {@code tpm:shipped-lifted}), trained
 * by {@code training/tpm.sh} on the shipped tiny weights (ShippedTpmTest keeps them from going stale).
 */
record ShippedTpmRows() implements PolicyRows {
    /** Whether this build ships both TPMs. */
    static boolean available() {
        ClassLoader loader = ShippedTpm.classpath();
        return ShippedTpm.BOUNDED.isShipped(loader) && ShippedTpm.LIFTED.isShipped(loader);
    }

    @Override
    public Method bounded() {
        return Method.parse(ShippedTpm.BOUNDED.spec());
    }

    @Override
    public Method lifted() {
        return Method.parse(ShippedTpm.LIFTED.spec());
    }

    @Override
    public List<Method> varying() {
        return List.of(bounded(), lifted());
    }

    @Override
    public String note(String table) {
        return "The TPM rows are the shipped TPMs (" + ShippedTpm.BOUNDED.spec() + ", " + ShippedTpm.LIFTED.spec()
                + "), trained with GRPO on these weights; the paper's " + table + " reports its own TPMs on its "
                + "backbone.";
    }

    @Override
    public String deviationsNote() {
        return "Per-step deviations of the shipped TPMs (" + ShippedTpm.BOUNDED.spec() + ", "
                + ShippedTpm.LIFTED.spec() + "), each sample's own.";
    }

    @Override
    public String velocityNote() {
        String p = bounded().spec();
        return p + ":velocity-scale applies the r the shipped TPM (0.5 + r) chooses as a velocity multiplier "
                + "ω = 0.5 + r at the grid time instead of moving the conditioning time.";
    }
}
