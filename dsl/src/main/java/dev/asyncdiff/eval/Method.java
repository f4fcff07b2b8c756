package dev.asyncdiff.eval;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.asyndm.AsynDm;
import dev.asyncdiff.sample.LatentClock;
import dev.asyncdiff.sample.AsyncRule;
import dev.asyncdiff.sample.ConstantVelocityScale;
import dev.asyncdiff.sample.DeviationBound;
import dev.asyncdiff.sample.SamplingMode;
import dev.asyncdiff.sample.Solver;
import dev.asyncdiff.tpm.TpmPolicies;

/**
 * A sampler configuration compared in an evaluation, written as one string: a policy ({@code sync}, {@code fixed:D},
 * {@code tpm:PATH}, {@code tpm:shipped})
 * followed by modifiers separated by colons — {@code gamma=G} (Eq. 12), {@code lifted} (Eq. 13) or {@code half}
 * (without either: the bound a TPM or distillate was trained under, else half),
 * {@code velocity-scale} (Eq. 19–20) and {@code solver=NAME} — e.g. {@code fixed:0.3:gamma=2},
 * {@code fixed:0.3:lifted}, {@code fixed:0.2:velocity-scale}, {@code fixed:0.3:solver=heun}; or {@code velocity:W},
 * constant velocity scaling ({@link ConstantVelocityScale}), which is {@code fixed:(W − 1):velocity-scale}. Everything
 * else a pipeline holds (steps, grid, guidance, seed, and the solver unless the method names one) is the evaluation's,
 * the same for every method.
 *
 * @param solver the method's own solver, or empty to keep the evaluation's
 * @param asynDm the method's AsynDM clock ({@code :asyndm=SCHEDULE[:K][:MASKS]}, which takes the colon-separated
 *               strength and mask mode after it), or empty to keep the evaluation's
 */
public record Method(String spec, String policy, double gamma, DeviationBound bound, SamplingMode mode,
                     boolean stochastic, java.util.Optional<Solver> solver, java.util.Optional<AsynDm> asynDm) {
    public static final String GRAMMAR = "sync, fixed:D, timeshift[:S], tpm:PATH, tpm:shipped[-lifted] or "
            + "distilled:PATH, then any of :gamma=G, :lifted or :half, :velocity-scale, :solver=euler|heun|dpmpp2m, "
            + ":asyndm=SCHEDULE[:K][:MASKS], :mask-threshold=X, :max-disparity=D, "
            + ":stochastic (tpm only) (e.g. "
            + "fixed:0.3:gamma=2); or velocity:W (every update multiplied by W in [0.5, 1.5], no modifiers)";

    private static final java.util.Set<String> MASK_MODES = java.util.Set.of("dynamic", "fixed", "everywhere");

    public static Method parse(String spec) {
        String s = spec.strip();
        if (ConstantVelocityScale.names(s)) {
            try {
                ConstantVelocityScale scale = ConstantVelocityScale.parse(s);
                return new Method(s, scale.policySpec(), 1, DeviationBound.HALF, SamplingMode.VELOCITY_SCALE, false,
                        java.util.Optional.empty(), java.util.Optional.empty());
            } catch (IllegalArgumentException e) {
                throw bad(spec, ": " + e.getMessage());
            }
        }
        String[] parts = s.split(":", -1);
        int modifiers = parts[0].equals("fixed") || parts[0].equals("tpm") || parts[0].equals("distilled")
                || (parts[0].equals("timeshift") && parts.length > 1 && isNumber(parts[1])) ? 2 : 1;
        if (parts[0].isEmpty() || parts.length < modifiers) {
            throw bad(spec, "");
        }
        String policy = String.join(":", java.util.Arrays.copyOfRange(parts, 0, modifiers));
        try {
            TpmPolicies.check(policy);
        } catch (IllegalArgumentException e) {
            // a TPM or distillate whose files are missing is written right: its message names it and says what to do
            throw parts[0].equals("tpm") || parts[0].equals("distilled") ? e : bad(spec, ": " + e.getMessage());
        }
        double gamma = 1;
        DeviationBound bound = null;
        SamplingMode mode = SamplingMode.ASYNC;
        boolean stochastic = false;
        java.util.Optional<Solver> solver = java.util.Optional.empty();
        java.util.Optional<AsynDm> asynDm = java.util.Optional.empty();
        Double maskThreshold = null;
        Double maxDisparity = null;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = modifiers; i < parts.length; i++) {
            String m = parts[i].strip();
            String key = m.equals("half") || m.equals("lifted") ? "bound"
                    : m.contains("=") ? m.substring(0, m.indexOf('=')) : m;
            if (!seen.add(key)) {
                throw bad(spec, ": '" + key + "' is given twice");
            }
            if (m.startsWith("gamma=")) {
                gamma = number(spec, m, AsyncRule::checkGamma);
            } else if (m.startsWith("solver=")) {
                try {
                    solver = java.util.Optional.of(Solver.parse(m.substring(7)));
                } catch (IllegalArgumentException e) {
                    throw bad(spec, ": " + e.getMessage());
                }
            } else if (m.startsWith("asyndm=")) {
                StringBuilder clock = new StringBuilder(m.substring(7));
                while (i + 1 < parts.length && (isNumber(parts[i + 1]) || MASK_MODES.contains(parts[i + 1].strip()))) {
                    clock.append(':').append(parts[++i].strip());
                }
                try {
                    asynDm = java.util.Optional.of(AsynDm.parse(clock.toString()));
                } catch (IllegalArgumentException e) {
                    throw bad(spec, ": " + e.getMessage());
                }
            } else if (m.startsWith("mask-threshold=")) {
                maskThreshold = number(spec, m, x -> x);
            } else if (m.startsWith("max-disparity=")) {
                maxDisparity = number(spec, m, d -> d);
            } else if (key.equals("bound")) {
                bound = DeviationBound.parse(m);
            } else if (m.equals("velocity-scale")) {
                mode = SamplingMode.VELOCITY_SCALE;
            } else if (m.equals("stochastic") && TpmPolicies.isTpm(policy)) {
                stochastic = true;
            } else {
                throw bad(spec, ": unknown modifier '" + m + "'");
            }
        }
        if (maskThreshold != null || maxDisparity != null) {
            String which = maskThreshold != null ? "mask-threshold" : "max-disparity";
            if (asynDm.isEmpty()) {
                throw bad(spec, ": " + which + " needs :asyndm=");
            }
            AsynDm a = asynDm.get();
            if (maskThreshold != null && a.masks() == AsynDm.Masks.EVERYWHERE) {
                throw bad(spec, ": mask-threshold needs :asyndm= with dynamic or fixed masks");
            }
            try {
                a = maskThreshold == null ? a : a.withThreshold(maskThreshold);
                asynDm = java.util.Optional.of(maxDisparity == null ? a : a.withMaxDisparity(maxDisparity));
            } catch (IllegalArgumentException e) {
                throw bad(spec, ": " + e.getMessage());
            }
        }
        if (solver.isPresent()) {
            try {
                Solver.checkMode(solver.get(), mode);
            } catch (IllegalArgumentException e) {
                throw bad(spec, ": " + e.getMessage());
            }
        }
        if (bound == null) {
            bound = TpmPolicies.trainedBound(policy).orElse(DeviationBound.HALF);
        }
        return new Method(s, policy, gamma, bound, mode, stochastic, solver, asynDm);
    }

    /** Whether the policy is synchronous sampling. */
    public boolean synchronous() {
        return policy.equals("sync");
    }

    /** The deviation D of a {@code fixed:D} policy; empty for any other. */
    public java.util.OptionalDouble fixedDeviation() {
        return !policy.startsWith("fixed:") ? java.util.OptionalDouble.empty()
                : java.util.OptionalDouble.of(((dev.asyncdiff.policy.FixedDeviationPolicy) dev.asyncdiff.policy
                .Policies.parse(policy)).deviation());
    }

    /**
     * The evaluation's pipeline with this method's policy (a TPM loaded for its backbone), γ, bound, mode and, if it
     * names one, solver.
     */
    public Pipeline applyTo(Pipeline base) {
        Pipeline p = base.solver(solver.orElse(base.solver())).clock(asynDm.map(a -> (LatentClock) a)
                .orElse(base.clock()));
        return p.async(TpmPolicies.resolve(policy, p, TpmPolicies.choice(policy, stochastic))).gamma(gamma)
                .bound(bound).mode(mode);
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The number of a {@code NAME=X} modifier, passed through its check; bad input names the spec. */
    private static double number(String spec, String modifier, java.util.function.DoubleUnaryOperator check) {
        String name = modifier.substring(0, modifier.indexOf('='));
        String value = modifier.substring(name.length() + 1);
        try {
            return check.applyAsDouble(Double.parseDouble(value));
        } catch (NumberFormatException e) {
            throw bad(spec, ": " + name + " needs a number (got '" + value + "')");
        } catch (IllegalArgumentException e) {
            throw bad(spec, ": " + e.getMessage());
        }
    }

    private static IllegalArgumentException bad(String spec, String why) {
        return new IllegalArgumentException("method '" + spec + "' is not " + GRAMMAR + why);
    }
}
