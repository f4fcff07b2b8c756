package dev.asyncdiff.kernel;

import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code asyncdiff kernel run|install|uninstall|bench}. */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Run, install, uninstall or benchmark the Jupyter kernel \"" + KernelSpecs.DISPLAY_NAME + "\".")
final class KernelCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Where a kernelspec goes, as for {@code jupyter kernelspec install}. */
    static final class Where {
        @Option(names = "--user", description = "the user's Jupyter data directory")
        boolean user;

        @Option(names = "--sys-prefix", description = "Python's sys.prefix (a virtualenv or conda env)")
        boolean sysPrefix;

        @Option(names = "--prefix", paramLabel = "P", description = "P/share/jupyter/kernels")
        Path prefix;

        KernelSpecs.Location location() {
            if (user) {
                return new KernelSpecs.Location.User();
            }
            if (sysPrefix) {
                return new KernelSpecs.Location.SysPrefix();
            }
            return new KernelSpecs.Location.Prefix(prefix);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the kernel on a connection file.")
    int run(@Parameters(paramLabel = "CONNECTION_FILE") Path connectionFile) throws Exception {
        return serve(connectionFile);
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Install the kernelspec (default: system-wide, /usr/local/share/jupyter/kernels).")
    int install(@ArgGroup(exclusive = true) Where where,
                @Option(names = "--name", defaultValue = AsyncdiffKernel.NAME, paramLabel = "NAME",
                        description = "kernelspec name (default: ${DEFAULT-VALUE})") String name,
                @Option(names = "--java-options", paramLabel = "OPTIONS",
                        description = "JVM options (space-separated) in place of the kernel's JIT and GC tuning "
                                + "(default: " + KernelSpecs.TUNING + ", see 'bench "
                                + "--compare'); headless and offline always stay") String javaOptions)
            throws Exception {
        KernelSpecs.Location location = where == null ? new KernelSpecs.Location.SystemWide() : where.location();
        List<String> tuning = javaOptions == null ? KernelSpecs.TUNING_FLAGS
                : jvmOptions("--java-options", javaOptions);
        Path dir;
        try {
            dir = KernelSpecs.install(location.dataDir(), name, KernelSpecs.argv(tuning));
        } catch (AccessDeniedException e) {
            throw new IOException("no permission to write " + e.getFile() + "; install with --user or --prefix P");
        }
        System.out.println("installed kernelspec " + name + " (\"" + KernelSpecs.DISPLAY_NAME + "\") in " + dir);
        if (KernelSpecs.ownJar() == null) {
            System.out.println("note: it runs this class path, not a built jar; "
                    + "'./asyncdiff kernel install' uses the jar");
        }
        return 0;
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true,
            description = "Remove the kernelspec (default: from every place Jupyter looks).")
    int uninstall(@ArgGroup(exclusive = true) Where where,
                  @Option(names = "--name", defaultValue = AsyncdiffKernel.NAME, paramLabel = "NAME",
                          description = "kernelspec name (default: ${DEFAULT-VALUE})") String name) throws Exception {
        List<Path> dirs = where == null ? KernelSpecs.searchPath() : List.of(where.location().dataDir());
        List<Path> removed = KernelSpecs.uninstall(dirs, name);
        if (removed.isEmpty()) {
            System.err.println("asyncdiff kernel uninstall: no kernelspec named " + name + " in " + dirs);
            return 1;
        }
        removed.forEach(d -> System.out.println("removed " + d));
        return 0;
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Time the kernel's start (to kernel_info_reply) and a trivial cell's round trip.")
    int bench(@Option(names = "--cells", defaultValue = "50", paramLabel = "N",
                      description = "trivial cells timed (default: ${DEFAULT-VALUE})") int cells,
              @Option(names = "--warmup", defaultValue = "50", paramLabel = "N",
                      description = "trivial cells run first, untimed (default: ${DEFAULT-VALUE})") int warmup,
              @Option(names = "--compare", paramLabel = "OPTIONS",
                      description = "also benchmark the kernel with these JVM options in place of its tuning flags "
                              + "(space-separated, repeatable; e.g. -XX:+UseG1GC for the JVM's defaults), side by "
                              + "side with the kernelspec's own command") List<String> variants,
              @Option(names = "--cell", defaultValue = KernelBench.TRIVIAL_CELL, paramLabel = "CODE",
                      description = "the cell timed (default: ${DEFAULT-VALUE}, the trivial cell of the target)")
              String cell,
              @Option(names = "--rounds", defaultValue = "3", paramLabel = "N",
                      description = "with --compare: rounds, each running every variant once (default: "
                              + "${DEFAULT-VALUE})") int rounds)
            throws Exception {
        if (cells < 1 || warmup < 0 || rounds < 1) {
            throw new IllegalArgumentException("--cells and --rounds must be at least 1 and --warmup at least 0 (got "
                    + cells + ", " + rounds + " and " + warmup + ")");
        }
        if (variants != null && !variants.isEmpty()) {
            List<List<String>> split = new java.util.ArrayList<>();
            for (String v : variants) {
                split.add(jvmOptions("--compare", v));
            }
            System.out.println(KernelJvmComparison.run(split, cell, rounds, warmup, cells).table());
            return 0;
        }
        KernelBench.Result r = KernelBench.run(cell, warmup, cells);
        System.out.println(r.table());
        return 0;
    }

    /** Space-separated JVM options, each starting with '-'. */
    static List<String> jvmOptions(String option, String value) {
        List<String> options = List.of(value.trim().split("\\s+"));
        if (value.isBlank() || options.stream().anyMatch(o -> !o.startsWith("-"))) {
            throw new IllegalArgumentException(option + " takes JVM options that start with '-', e.g. " + option
                    + "=\"-XX:+UseG1GC\" (got \"" + value + "\")");
        }
        return options;
    }

    /** Runs the kernel until a shutdown_request; what Jupyter starts through the kernelspec. */
    static int serve(Path connectionFile) throws Exception {
        if (!Files.isRegularFile(connectionFile)) {
            throw new IllegalArgumentException("no connection file at " + connectionFile);
        }
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile));
        CellEvaluator cells = new CellEvaluator(ClassPath.ofThisJvm(), AsyncdiffKernel.IMPORTS);
        AsyncdiffKernel kernel = new AsyncdiffKernel(cells);
        KernelConnection connection = new KernelConnection(props);
        kernel.becomeHandlerForConnection(connection);
        kernel.onStartup();
        connection.connect();
        exitWithJupyter();
        connection.waitUntilClose();
        return 0;
    }

    /**
     * Jupyter names the process that started the kernel in JPY_PARENT_PID; when that process dies without a
     * shutdown_request, the kernel ends too instead of running on as an orphan.
     */
    private static void exitWithJupyter() {
        String parent = System.getenv("JPY_PARENT_PID");
        if (parent == null || !parent.matches("\\d+")) {
            return;
        }
        ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                p -> p.onExit().thenRun(() -> System.exit(0)), () -> System.exit(0));
    }
}
