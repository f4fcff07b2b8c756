package dev.asyncdiff.cli;

import dev.asyncdiff.bench.BackbonePass;
import dev.asyncdiff.bench.BackboneSetup;
import dev.asyncdiff.bench.PassResult;
import dev.asyncdiff.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The Java side of {@code bench backbone}, which runs it alone in a child JVM so that its peak memory is the pass's.
 */
@Command(name = "backbone-pass", hidden = true,
        description = "The Java side of bench backbone (run by it in a child JVM): the passes of a setup file.")
final class BenchBackbonePassCommand implements Callable<Integer> {
    @Option(names = "--setup", required = true, paramLabel = "FILE", description = "the setup bench backbone wrote")
    Path setup;

    @Option(names = "--result", required = true, paramLabel = "FILE", description = "where the result goes")
    Path result;

    @Option(names = "--velocity", required = true, paramLabel = "FILE",
            description = "where the last pass's velocity goes (safetensors)")
    Path velocity;

    @Override
    public Integer call() throws IOException {
        PassResult r = BackbonePass.run(BackboneSetup.fromJson(Files.readString(setup)), velocity, System.err);
        AtomicFiles.write(result, r.toJson().toString().getBytes(StandardCharsets.UTF_8));
        return 0;
    }
}
