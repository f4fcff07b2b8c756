package dev.asyncdiff.kernel;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelHelpTest {
    @Test
    void theCliJarsHelpNamesEveryCommandOfTheKernelJar() {
        CommandLine cli = new CommandLine(new dev.asyncdiff.cli.Main());
        CommandLine kernelJar = new CommandLine(new Main());
        Set<String> own = kernelJar.getSubcommands().keySet();
        assertTrue(cli.getSubcommands().keySet().containsAll(own), () -> own + " vs " + cli.getSubcommands().keySet());
        // The launcher runs `bench kernel` as `kernel bench`.
        assertTrue(kernelJar.getSubcommands().get("kernel").getSubcommands().containsKey("bench"));
        assertTrue(cli.getSubcommands().get("bench").getSubcommands().containsKey("kernel"));
    }

    @Test
    void everyOptionThatTakesAValueHasANamedPlaceholder() {
        // picocli's default placeholder is the field's name in angle brackets, <arg1> for a method parameter.
        List<String> unnamed = new ArrayList<>();
        collectUnnamed(new CommandLine(new Main()), unnamed);
        assertEquals(List.of(), unnamed);
    }

    private static void collectUnnamed(CommandLine command, List<String> unnamed) {
        for (OptionSpec o : command.getCommandSpec().options()) {
            if (o.arity().max() > 0 && o.paramLabel().startsWith("<")) {
                unnamed.add(command.getCommandSpec().qualifiedName() + " " + o.longestName() + "=" + o.paramLabel());
            }
        }
        command.getSubcommands().values().forEach(c -> collectUnnamed(c, unnamed));
    }
}
