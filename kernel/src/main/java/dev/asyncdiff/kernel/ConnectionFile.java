package dev.asyncdiff.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A Jupyter connection file: where the kernel's five sockets listen and the key that signs every message. Jupyter
 * writes one per kernel it starts; the benchmark and the tests write their own.
 */
record ConnectionFile(String transport, String ip, int shellPort, int iopubPort, int stdinPort, int controlPort,
                      int hbPort, String signatureScheme, String key) {

    /** Free local ports and a random key. */
    static ConnectionFile fresh() throws IOException {
        int[] ports = freePorts(5);
        return new ConnectionFile("tcp", "127.0.0.1", ports[0], ports[1], ports[2], ports[3], ports[4],
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

    /**
     * Distinct ports a kernel can bind: all are held open until every one is chosen (so none is handed out twice),
     * and without SO_REUSEADDR, so that none is still in TIME_WAIT from an earlier kernel's connections, which
     * ZeroMQ's bind would refuse.
     */
    static int[] freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }
}
