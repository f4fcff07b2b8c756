package dev.asyncdiff.kernel;

import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A kernel in its own JVM, started the way Jupyter starts it (the kernelspec's command on a fresh connection file),
 * with a connected client. Its stdout and stderr go to a log file.
 */
final class RunningKernel implements AutoCloseable {
    final ConnectionFile connection;
    final KernelClient client;
    final Path log;
    private final Process process;

    private RunningKernel(ConnectionFile connection, Process process, Path log) {
        this.connection = connection;
        this.process = process;
        this.log = log;
        this.client = new KernelClient(connection);
    }

    static RunningKernel start(Path dir) throws IOException {
        ConnectionFile connection = ConnectionFile.fresh();
        Path file = dir.resolve("connection.json");
        connection.write(file);
        Path log = dir.resolve("kernel.log");
        Process p = KernelSpecs.process(KernelSpecs.argv(), file).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        RunningKernel k = new RunningKernel(connection, p, log);
        k.client.awaitReady(60_000);
        return k;
    }

    KernelClient.Execution execute(String code) {
        return client.execute(code, 60_000);
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws Exception {
        try {
            JsonObject content = new JsonObject();
            content.addProperty("restart", false);
            client.controlReply(client.controlRequest("shutdown_request", content), 5000);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } finally {
            client.close();
        }
    }
}
