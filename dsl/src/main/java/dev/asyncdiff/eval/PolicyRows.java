package dev.asyncdiff.eval;

/**
 * What fills a reproduction's learned-policy rows: the TPM (0.5 + r) and TPM (2r) rows of the tables, the policy
 * whose γ is swept (Fig. 2, 5) and whose update is compared with the velocity multiplier (Fig. 6), and the policies
 * whose per-step deviations are plotted (Fig. 3–4). The shipped TPMs when the build has both ({@link ShippedTpmRows},
 * tiny backbone only), else labelled stand-ins ({@link PaperDeviations}).
 */
sealed interface PolicyRows permits PaperDeviations, ShippedTpmRows {
    /** The TPM (0.5 + r) row. */
    Method bounded();

    /** The TPM (2r) row. */
    Method lifted();

    /** The policies whose per-step deviation distributions Fig. 3–4 plot (their deviation varies by sample). */
    java.util.List<Method> varying();

    /** What a reader of {@code table} (e.g. "Table 1 (SD3.5-medium)") must know about these rows. */
    String note(String table);

    /** The same for the deviation figures. */
    String deviationsNote();

    /** The same for Fig. 6, which applies the bounded row's r as a velocity multiplier too. */
    String velocityNote();
}
