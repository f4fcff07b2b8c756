package dev.asyncdiff.tpm;

import ai.djl.ndarray.NDManager;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.policy.DistilledPolicy;
import dev.asyncdiff.policy.Policies;
import dev.asyncdiff.policy.TimestepPolicy;

import java.nio.file.Path;

/**
 * Policy specs for a given backbone: {@code tpm:PATH} (a TPM trained by {@code train-tpm}, choosing the mode of its
 * Beta, Eq. 18) besides the model-free ones of {@link Policies} ({@code sync}, {@code fixed:D}, …); a TPM or a
 * distilled policy made for another backbone is refused.
 */
public final class TpmPolicies {
    public static final String CHOICES = Policies.CHOICES + ", tpm:PATH (a folder from train-tpm)";
    private static final String PREFIX = "tpm:";

    private TpmPolicies() {
    }

    /** Whether the spec names a TPM. */
    public static boolean isTpm(String spec) {
        return spec.strip().startsWith(PREFIX);
    }

    /**
     * How a TPM takes r: its Beta's mode, or with {@code stochastic} a per-sample draw; {@code --stochastic} with a
     * policy that has no distribution is refused.
     */
    public static TpmPolicy.Choice choice(String spec, boolean stochastic) {
        if (stochastic && !isTpm(spec)) {
            throw new IllegalArgumentException("--stochastic draws r from a TPM's distribution; it needs --policy "
                    + "tpm:PATH (got --policy " + spec + ")");
        }
        return stochastic ? TpmPolicy.Choice.SAMPLE : TpmPolicy.Choice.MODE;
    }

    /** Checks a spec without loading anything: a TPM folder must hold a TPM, a distillate's folder a distillate. */
    public static void check(String spec) {
        if (spec.strip().startsWith(DistilledPolicy.PREFIX)) {
            try {
                DistilledPolicy.requireFolder(Path.of(spec.strip().substring(DistilledPolicy.PREFIX.length())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("policy '" + spec + "': " + e.getMessage());
            }
        } else if (isTpm(spec)) {
            try {
                Tpm.requireFolder(Path.of(spec.strip().substring(PREFIX.length())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("policy '" + spec + "': " + e.getMessage());
            }
        } else {
            Policies.parse(spec);
        }
    }

    /**
     * The policy a spec names, for the pipeline's backbone; a TPM built for another backbone is refused, and takes r
     * as {@code choice} says (the mode, or a per-sample draw). A TPM's weights live until the JVM exits (a CLI run
     * loads one; notebooks should load a TPM once and reuse the policy).
     */
    public static TimestepPolicy resolve(String spec, Pipeline base, TpmPolicy.Choice choice) {
        if (!isTpm(spec)) {
            TimestepPolicy p = Policies.parse(spec);
            if (p instanceof DistilledPolicy d) {
                d.checkBackbone(base.backbone());
            }
            return p;
        }
        check(spec); // names the policy in the message, before anything is loaded
        Tpm tpm = Tpm.load(NDManager.newBaseManager(), Path.of(spec.strip().substring(PREFIX.length())));
        String name = choice == TpmPolicy.Choice.SAMPLE ? spec.strip() + ":stochastic" : spec.strip();
        return TpmPolicy.of(tpm, base.backbone(), base.model(), choice, name);
    }
}
