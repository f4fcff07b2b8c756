package dev.asyncdiff.eval;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A table or figure of the AsyncDiff paper that {@code reproduce} makes — or one of this project's comparisons the
 * papers call for (AsynDM's evaluation; asynchronous conditioning under higher-order solvers, AsyncDiff's stated
 * future work) — with what it shows and which files of which planned evaluation ({@link Reproduction#plan}) hold it.
 */
public enum Artefact {
    TABLE1("Table 1: rewards of sync and the two TPM bounds at SD3.5-medium's setting (15 steps, shift 3 on SD3.5)"),
    TABLE2("Table 2: rewards of sync and the two TPM bounds at Flux.1-dev's setting (10 steps)"),
    FIG2("Fig. 2: each reward against γ of Eq. 12, with the lifted bound"),
    FIG3("Fig. 3: per-step deviation distributions of a learned policy at SD3.5's step count (15)"),
    FIG4("Fig. 4: per-step deviation distributions of a learned policy at Flux's step count (10)"),
    FIG5("Fig. 5: qualitative grid: sync, γ 0.5, 1, 2 and the lifted bound"),
    FIG6("Fig. 6: asynchronous conditioning against the velocity multiplier (Eq. 19–20)"),
    ASYNDM("AsynDM: standard sampling, concave everywhere, and AsynDM with dynamic and fixed masks on the spatial, "
            + "numeracy and complex prompts (15 and 50 steps)"),
    SOLVERS("Asynchronous conditioning (fixed deviations) under each solver: Euler, Heun, DPM-Solver++(2M) (4 and 10 "
            + "steps)");

    /** What {@code reproduce} accepts: each artefact's name, or {@code all} (a constant for the CLI's help). */
    public static final String CHOICES = "table1|table2|fig2|fig3|fig4|fig5|fig6|asyndm|solvers|all";

    private final String caption;

    Artefact(String caption) {
        this.caption = caption;
    }

    /** The name on the command line: {@code table1}, {@code fig2}, … */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String caption() {
        return caption;
    }

    /**
     * The artefacts a list of names asks for, in the paper's order, each once; {@code all} means every one.
     *
     * @throws IllegalArgumentException for an unknown name, naming the choices
     */
    public static List<Artefact> parse(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("name at least one artefact: " + CHOICES);
        }
        java.util.EnumSet<Artefact> chosen = java.util.EnumSet.noneOf(Artefact.class);
        for (String n : names) {
            String name = n.strip().toLowerCase(Locale.ROOT);
            if (name.equals("all")) {
                chosen.addAll(Arrays.asList(values()));
                continue;
            }
            chosen.add(Arrays.stream(values()).filter(a -> a.label().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown artefact '" + n + "'; choose "
                            + CHOICES)));
        }
        return List.copyOf(chosen);
    }
}
