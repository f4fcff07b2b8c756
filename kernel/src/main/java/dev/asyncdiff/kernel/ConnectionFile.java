package dev.asyncdiff.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A Jupyter connection file: where the kernel's five sockets listen and the key that signs every message. Jupyter
 * writes one per kernel it starts; the benchmark and the tests write their own.
 */
record ConnectionFile(String transport, String ip, int shellPort, int iopubPort, int stdinPort, int controlPort,
                      int hbPort, String signatureScheme, String key) {

    /** Free local ports and a random key. */
    static ConnectionFile fresh() throws IOException {
        return new ConnectionFile("tcp", "127.0.0.1", freePort(), freePort(), freePort(), freePort(), freePort(),
                "hmac-sha256", UUID.randomUUID().toString());
    }

    static ConnectionFile read(Path file) throws IOException {
        JsonObject o = new Gson().fromJson(Files.readString(file), JsonObject.class);
        return new ConnectionFile(o.get("transport").getAsString(), o.get("ip").getAsString(),
                o.get("shell_port").getAsInt(), o.get("iopub_port").getAsInt(), o.get("stdin_port").getAsInt(),
                o.get("control_port").getAsInt(), o.get("hb_port").getAsInt(),
                o.get("signature_scheme").getAsString(), o.get("key").getAsString());
    }

    void write(Path file) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("transport", transport);
        o.addProperty("ip", ip);
        o.addProperty("shell_port", shellPort);
        o.addProperty("iopub_port", iopubPort);
        o.addProperty("stdin_port", stdinPort);
        o.addProperty("control_port", controlPort);
        o.addProperty("hb_port", hbPort);
        o.addProperty("signature_scheme", signatureScheme);
        o.addProperty("key", key);
        Files.writeString(file, o.toString());
    }

    String address(int port) {
        return transport + "://" + ip + ":" + port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
