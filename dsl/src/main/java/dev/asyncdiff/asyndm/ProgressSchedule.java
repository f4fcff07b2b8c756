package dev.asyncdiff.asyndm;

import java.util.Locale;

/**
 * How a position's remaining progress ρ advances by one step: ρ' = next(ρ, n, K) with n steps left (this one
 * included) out of K. Every schedule reaches 0 exactly at the last step (n = 1) from any ρ and never moves backwards
 * (0 ≤ ρ' ≤ ρ): this is the shifted-concave guarantee of AsynDM, here by re-fitting the remaining curve through the
 * current point at every step, as the reference code does for its quadratic schedule.
 * <p>
 * Translated from the reference's integer timesteps (T = 1000, N steps, n left, target τ) to ρ ∈ [0, 1] with τ = 0:
 * <ul>
 *   <li>linear: ρ' = ρ − ρ/n (ρ_k = 1 − k/K from ρ_0 = 1);</li>
 *   <li>quadratic (concave): the parabola of curvature −k/K² through (now, ρ) that reaches 0 after n steps, evaluated
 *       one step on: ρ' = ρ − ρ/n + (k/K²)(n − 1);</li>
 *   <li>piecewise: slope (1 − k)/K per step until the line of slope (1 + k)/K that ends at 0:
 *       ρ' = min(ρ − (1 − k)/K, (1 + k)(n − 1)/K);</li>
 *   <li>exponential: a·e^{x/K} + b·x + c with a = −k/(e − 1) (the reference's a = −kT/(e − 1)) at step x = K − n,
 *       re-fitted through (now, ρ) and (end, 0): ρ' = ρ − ρ/n + a·e^{x/K}·[(e^{1/K} − 1) − (e^{n/K} − 1)/n].</li>
 * </ul>
 * From ρ_0 = 1 each concave schedule follows its closed-form curve (quadratic: 1 − x/K + k·x(K − x)/K²; piecewise:
 * min(1 − (1 − k)x/K, (1 + k)(K − x)/K); exponential: 1 − k(e^{x/K} − 1)/(e − 1) − (1 − k)x/K), which lies above
 * the linear one: related regions are denoised more slowly. A step that would move a position backwards (a position
 * far ahead of its curve) keeps it where it is; the clamp never binds on the curves themselves.
 */
public sealed interface ProgressSchedule {
    /** The reference's default strength. */
    double DEFAULT_STRENGTH = 0.7;
    String FORM = "linear, quadratic[:K], piecewise[:K] or exponential[:K] with 0 < K < 1 (default 0.7)";

    /** Remaining progress after one step from ρ with {@code stepsLeft} steps left (≥ 1) of {@code steps}. */
    double next(double rho, int stepsLeft, int steps);

    /** The schedule as written in a spec, e.g. {@code quadratic:0.7}. */
    String spec();

    /** ρ − ρ/n, the linear part every schedule shares, written so that n = 1 gives exactly 0. */
    private static double linear(double rho, int stepsLeft) {
        return rho * (stepsLeft - 1) / stepsLeft;
    }

    /** Clamps a re-fitted step to [0, ρ]; on the last step it is 0. */
    private static double clamp(double next, double rho, int stepsLeft) {
        return stepsLeft == 1 ? 0.0 : Math.max(0.0, Math.min(rho, next));
    }

    /** The background: the grid itself. */
    record Linear() implements ProgressSchedule {
        @Override
        public double next(double rho, int stepsLeft, int steps) {
            return linear(rho, stepsLeft);
        }

        @Override
        public String spec() {
            return "linear";
        }
    }

    record Quadratic(double k) implements ProgressSchedule {
        public Quadratic {
            checkStrength(k);
        }

        @Override
        public double next(double rho, int stepsLeft, int steps) {
            return clamp(linear(rho, stepsLeft) + k * (stepsLeft - 1) / ((double) steps * steps), rho, stepsLeft);
        }

        @Override
        public String spec() {
            return "quadratic:" + k;
        }
    }

    record Piecewise(double k) implements ProgressSchedule {
        public Piecewise {
            checkStrength(k);
        }

        @Override
        public double next(double rho, int stepsLeft, int steps) {
            return clamp(Math.min(rho - (1 - k) / steps, (1 + k) * (stepsLeft - 1) / steps), rho, stepsLeft);
        }

        @Override
        public String spec() {
            return "piecewise:" + k;
        }
    }

    record Exponential(double k) implements ProgressSchedule {
        public Exponential {
            checkStrength(k);
        }

        @Override
        public double next(double rho, int stepsLeft, int steps) {
            double a = -k / (Math.E - 1);
            double x = steps - stepsLeft;
            double excess = a * Math.exp(x / steps) * (Math.expm1(1.0 / steps) - Math.expm1((double) stepsLeft / steps)
                    / stepsLeft);
            return clamp(linear(rho, stepsLeft) + excess, rho, stepsLeft);
        }

        @Override
        public String spec() {
            return "exponential:" + k;
        }
    }

    /** The concave families, for the DSL: {@code concave(QUADRATIC, 0.7)}. */
    enum Kind {
        QUADRATIC, PIECEWISE, EXPONENTIAL;

        public ProgressSchedule of(double k) {
            return switch (this) {
                case QUADRATIC -> new Quadratic(k);
                case PIECEWISE -> new Piecewise(k);
                case EXPONENTIAL -> new Exponential(k);
            };
        }
    }

    /** The strength k of a concave schedule, checked in one place: 0 < k < 1. */
    static double checkStrength(double k) {
        if (!(k > 0 && k < 1)) {
            throw new IllegalArgumentException("a concave schedule's strength k must lie in (0, 1) (got " + k + ")");
        }
        return k;
    }

    /**
     * A schedule from its spec: {@code linear}, {@code quadratic}, {@code quadratic:0.5}, {@code piecewise:0.3},
     * {@code exponential:0.7}.
     */
    static ProgressSchedule parse(String spec) {
        String[] parts = spec.strip().split(":", -1);
        parts[0] = parts[0].toLowerCase(Locale.ROOT);
        if (parts.length > 2 || (parts[0].equals("linear") && parts.length > 1)) {
            throw new IllegalArgumentException("schedule '" + spec + "' is not " + FORM);
        }
        double k;
        try {
            k = parts.length == 2 ? Double.parseDouble(parts[1]) : DEFAULT_STRENGTH;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("schedule '" + spec + "': the strength must be a number in (0, 1) (got '"
                    + parts[1] + "')");
        }
        return switch (parts[0]) {
            case "linear" -> new Linear();
            case "quadratic" -> new Quadratic(k);
            case "piecewise" -> new Piecewise(k);
            case "exponential" -> new Exponential(k);
            default -> throw new IllegalArgumentException("unknown schedule '" + parts[0] + "'; choose " + FORM);
        };
    }
}
