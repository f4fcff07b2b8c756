package dev.asyncdiff.kernel;

import jdk.jshell.tool.JavaShellToolBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code asyncdiff shell [SCRIPT]}: JShell with the project's class path and the kernel's imports. Without a script
 * it is the interactive jshell tool; with one it runs the script as a notebook cell would run (plus JShell's /exit,
 * /open, /imports and /vars), stops at the first error and exits with status 1, or with the code of /exit.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = "JShell with asyncdiff on the class path and imported; runs SCRIPT (.jsh) when given.")
final class ShellCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "SCRIPT", description = "a .jsh script to run non-interactively")
    Path script;

    @Override
    public Integer call() throws Exception {
        if (script != null) {
            return ScriptRunner.run(script);
        }
        Path startup = Files.createTempFile("asyncdiff-imports", ".jsh");
        startup.toFile().deleteOnExit();
        Files.write(startup, AsyncdiffKernel.IMPORTS);
        List<String> args = new ArrayList<>(List.of("--class-path", ClassPath.join(ClassPath.ofThisJvm()),
                "--startup", "DEFAULT", "--startup", startup.toString()));
        for (String flag : KernelSpecs.JVM_FLAGS) {
            args.add("-R" + flag);
        }
        return JavaShellToolBuilder.builder().start(args.toArray(String[]::new));
    }
}
