package dev.asyncdiff.tpm;

import ai.djl.ndarray.NDManager;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.policy.DistilledPolicy;
import dev.asyncdiff.policy.Policies;
import dev.asyncdiff.policy.TimestepPolicy;
import dev.asyncdiff.sample.DeviationBound;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Policy specs for a given backbone: {@code tpm:PATH} (a TPM trained by {@code train-tpm}, choosing the mode of its
 * Beta, Eq. 18) and {@code tpm:shipped} / {@code tpm:shipped-lifted} (the TPMs the build ships, {@link ShippedTpm})
 * besides the model-free ones of {@link Policies} ({@code sync}, {@code fixed:D}, …); a TPM or a distilled policy
 * made for another backbone is refused. A folder that happens to be named {@code shipped} is {@code tpm:./shipped}.
 */
public final class TpmPolicies {
    public static final String CHOICES = Policies.CHOICES + ", tpm:PATH (a folder from train-tpm), tpm:shipped or "
            + "tpm:shipped-lifted (the TPMs this build ships)";
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

    /**
     * Checks a spec without loading anything: a TPM folder must hold a TPM, a shipped TPM must be in the build, a
     * distillate's folder must hold a distillate.
     */
    public static void check(String spec) {
        check(spec, ShippedTpm.classpath());
    }

    static void check(String spec, ClassLoader shipped) {
        if (spec.strip().startsWith(DistilledPolicy.PREFIX)) {
            try {
                DistilledPolicy.requireFolder(Path.of(spec.strip().substring(DistilledPolicy.PREFIX.length())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("policy '" + spec + "': " + e.getMessage());
            }
        } else if (isTpm(spec)) {
            Optional<ShippedTpm> s = ShippedTpm.named(path(spec));
            if (s.isPresent()) {
                s.get().require(shipped);
                return;
            }
            try {
                Tpm.requireFolder(Path.of(path(spec)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("policy '" + spec + "': " + e.getMessage());
            }
        } else {
            Policies.parse(spec);
        }
    }

    /**
     * The bound a spec's policy was learned under, read from its files without loading it: a TPM's training record,
     * a distillate's; empty for other policies and for TPMs saved without a record.
     */
    public static Optional<DeviationBound> trainedBound(String spec) {
        check(spec);
        if (spec.strip().startsWith(DistilledPolicy.PREFIX)) {
            return Policies.parse(spec).trainedBound();
        }
        if (!isTpm(spec)) {
            return Optional.empty();
        }
        Optional<ShippedTpm> s = ShippedTpm.named(path(spec));
        return (s.isPresent() ? s.get().provenance(ShippedTpm.classpath()) : Tpm.readProvenance(Path.of(path(spec))))
                .map(TpmProvenance::bound);
    }

    /**
     * The policy a spec names, for the pipeline's backbone; a TPM built for another backbone is refused, and takes r
     * as {@code choice} says (the mode, or a per-sample draw). A TPM's weights live until the JVM exits (a CLI run
     * loads one; notebooks should load a TPM once and reuse the policy); the shipped ones are loaded once per JVM.
     */
    public static TimestepPolicy resolve(String spec, Pipeline base, TpmPolicy.Choice choice) {
        return resolve(spec, base, choice, ShippedTpm.classpath());
    }

    static TimestepPolicy resolve(String spec, Pipeline base, TpmPolicy.Choice choice, ClassLoader shipped) {
        if (!isTpm(spec)) {
            TimestepPolicy p = Policies.parse(spec);
            if (p instanceof DistilledPolicy d) {
                d.checkBackbone(base.backbone());
            }
            return p;
        }
        check(spec, shipped); // names the policy in the message, before anything is loaded
        Optional<ShippedTpm> s = ShippedTpm.named(path(spec));
        Tpm tpm = s.isPresent() ? s.get().load(shipped) : Tpm.load(NDManager.newBaseManager(), Path.of(path(spec)));
        String name = choice == TpmPolicy.Choice.SAMPLE ? spec.strip() + ":stochastic" : spec.strip();
        return TpmPolicy.of(tpm, base.backbone(), base.model(), choice, name);
    }

    /** A shipped TPM as a policy for the pipeline's backbone (its Beta's mode); one clear error while none is shipped. */
    public static TpmPolicy shipped(ShippedTpm which, Pipeline base) {
        return (TpmPolicy) resolve(which.spec(), base, TpmPolicy.Choice.MODE);
    }

    private static String path(String spec) {
        return spec.strip().substring(PREFIX.length());
    }
}
