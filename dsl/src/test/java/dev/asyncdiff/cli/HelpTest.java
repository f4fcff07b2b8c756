package dev.asyncdiff.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HelpTest {
    static final Path README = Path.of(System.getProperty("basedir", ".")).resolve("../README.md").normalize();

    /** The commands that README.md's Commands section has a heading for: `demo`, `bench sampler`, `kernel`, … */
    static List<List<String>> documentedCommands() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("\n## Commands");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        List<List<String>> commands = new ArrayList<>();
        for (String heading : section.lines().filter(l -> l.startsWith("### ")).toList()) {
            Matcher m = Pattern.compile("`([a-z][a-z -]*)`").matcher(heading);
            while (m.find()) {
                commands.add(List.of(m.group(1).split(" ")));
            }
        }
        return commands;
    }

    /** The names under "Commands:" in the help that {@code asyncdiff PARENTS… --help} prints. */
    static Set<String> listedBy(List<String> parents) {
        StringWriter out = new StringWriter();
        String[] args = Stream.concat(parents.stream(), Stream.of("--help")).toArray(String[]::new);
        assertEquals(0, Main.commandLine().setOut(new PrintWriter(out, true)).execute(args));
        String help = out.toString();
        assertTrue(help.contains("Commands:"), help);
        // A command's line starts with two spaces and its name; wrapped descriptions are indented further.
        return help.substring(help.indexOf("Commands:")).lines().skip(1)
                .filter(l -> l.matches("  \\S.*"))
                .map(l -> l.strip().split("\\s+")[0])
                .collect(Collectors.toSet());
    }

    @Test
    void theHelpListsEveryCommandTheReadmeDocuments() throws IOException {
        List<List<String>> documented = documentedCommands();
        assertTrue(documented.containsAll(List.of(List.of("demo"), List.of("shell"), List.of("bench", "kernel"))),
                () -> "README headings read as " + documented);
        for (List<String> command : documented) {
            List<String> parents = command.subList(0, command.size() - 1);
            Set<String> listed = listedBy(parents);
            assertTrue(listed.contains(command.get(command.size() - 1)),
                    () -> String.join(" ", Stream.concat(Stream.of("asyncdiff"), parents.stream()).toList())
                            + " --help lists " + listed + ", not " + command);
        }
    }

    @Test
    void everyOptionThatTakesAValueHasANamedPlaceholder() {
        // picocli's default placeholder is the field's name in angle brackets (<arg1> for a method parameter).
        List<String> unnamed = new ArrayList<>();
        collectUnnamed(Main.commandLine(), unnamed);
        assertEquals(List.of(), unnamed);
    }

    static void collectUnnamed(CommandLine command, List<String> unnamed) {
        for (OptionSpec o : command.getCommandSpec().options()) {
            if (o.arity().max() > 0 && o.paramLabel().startsWith("<")) {
                unnamed.add(command.getCommandSpec().qualifiedName() + " " + o.longestName() + "=" + o.paramLabel());
            }
        }
        command.getSubcommands().values().forEach(c -> collectUnnamed(c, unnamed));
    }

    @Test
    void aKernelJarCommandStartedFromTheCliJarSaysWhereItRuns() {
        CliRun r = CliRun.of("bench", "kernel", "--cells", "3");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("kernel jar") && r.err().contains("./asyncdiff"), r.err());
    }
}
