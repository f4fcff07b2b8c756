package dev.asyncdiff.cli;

import dev.asyncdiff.model.checkpoint.BackboneLayout;
import dev.asyncdiff.model.checkpoint.WeightsCheck;
import dev.asyncdiff.model.checkpoint.WeightsCheck.ComponentReport;
import dev.asyncdiff.reward.real.RealReward;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Validates a diffusers checkpoint (or one component's folder, or a reward's model folder) against the manifests
 * derived from its config files, from the safetensors headers alone, and prints each component's parameter count.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check a checkpoint's keys and shapes against its configs, reading headers only; print each "
                + "component's parameter count. Exit 0 when everything matches, 2 naming the offending keys.")
final class WeightsCheckCommand implements Callable<Integer> {

    @ArgGroup(multiplicity = "1")
    Target target;

    /** What DIR holds: a backbone's checkpoint or a reward's model folder, exactly one of them. */
    static final class Target {
        @Option(names = "--backbone", required = true, description = "sd35 (SD3.5-medium) or flux (Flux.1-dev)",
                paramLabel = "sd35|flux")
        String backbone;

        @Option(names = "--reward", required = true, description = "a reward read from model files: "
                + RewardSpecs.REAL + "; DIR is then the folder it loads from", paramLabel = "NAME")
        String reward;
    }

    @Option(names = "--component", description = "check only this component: " + BackboneLayout.COMPONENTS
            + "; DIR is then the checkpoint folder or the component's own folder", paramLabel = "NAME")
    String component;

    @Parameters(index = "0", description = "the checkpoint folder (holding model_index.json); with --reward, the model folder", paramLabel = "DIR")
    Path dir;

    @Override
    public Integer call() {
        String what;
        List<ComponentReport> reports;
        if (target.reward != null) {
            if (component != null) {
                throw new IllegalArgumentException("--component belongs to --backbone; a --reward folder is one "
                        + "model");
            }
            RealReward reward = RealReward.named(target.reward);
            if (reward == null) {
                throw new IllegalArgumentException("unknown --reward '" + target.reward + "' (choose one of "
                        + String.join(", ", RealReward.names()) + ")");
            }
            what = "--reward " + reward.name();
            reports = List.of(reward.check().apply(dir));
        } else {
            BackboneLayout layout = BackboneLayout.parse(target.backbone);
            what = "--backbone " + layout.cliName;
            reports = component == null ? WeightsCheck.folder(layout, dir)
                    : List.of(WeightsCheck.component(layout, component, dir));
        }
        System.out.printf("%-15s %-28s %15s %13s  %-9s %s%n", "component", "class", "parameters", "buffers",
                "dtypes", "keys");
        long total = 0;
        for (ComponentReport r : reports) {
            System.out.printf("%-15s %-28s %15s %13s  %-9s %s%n", r.component(), r.architecture().className,
                    count(r.report().parameters()), count(r.report().buffers()),
                    r.dtypes().stream().map(Enum::name).collect(Collectors.joining(",")),
                    r.report().ok() ? "ok" : "MISMATCH");
            total += r.report().parameters();
        }
        if (reports.size() > 1) {
            System.out.printf("%-15s %-28s %15s%n", "total", "", count(total));
        }
        String problems = reports.stream().filter(r -> !r.report().ok())
                .map(r -> r.component() + " (" + r.architecture().className + "): " + r.report().problems())
                .collect(Collectors.joining(" | "));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(dir + " does not match " + what + ": " + problems);
        }
        return 0;
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
