package dev.asyncdiff.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * A minimal Jupyter client over ZeroMQ (shell, control, iopub), signing what it sends and checking the signature
 * of what it receives. The benchmark drives the kernel with it; so do the protocol tests, which can also send
 * messages with a wrong signature.
 */
final class KernelClient implements AutoCloseable {
    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private static final Gson GSON = new Gson();

    /** A received message. */
    record Msg(JsonObject header, JsonObject parentHeader, JsonObject content) {
        String type() {
            return header.get("msg_type").getAsString();
        }

        String parentId() {
            return parentHeader.has("msg_id") ? parentHeader.get("msg_id").getAsString() : "";
        }
    }

    /** What one execute_request produced: the shell reply and the iopub messages up to idle, in order. */
    record Execution(Msg reply, List<Msg> iopub) {
        String status() {
            return reply.content().get("status").getAsString();
        }

        List<Msg> ofType(String type) {
            return iopub.stream().filter(m -> m.type().equals(type)).toList();
        }

        /** The text of all stream messages of that name (stdout or stderr). */
        String stream(String name) {
            StringBuilder sb = new StringBuilder();
            for (Msg m : ofType("stream")) {
                if (m.content().get("name").getAsString().equals(name)) {
                    sb.append(m.content().get("text").getAsString());
                }
            }
            return sb.toString();
        }
    }

    private final ZContext context = new ZContext();
    private final ZMQ.Socket shell;
    private final ZMQ.Socket control;
    private final ZMQ.Socket iopub;
    private final String session = UUID.randomUUID().toString();
    private final byte[] key;

    KernelClient(ConnectionFile c) {
        this.key = c.key().getBytes(StandardCharsets.US_ASCII);
        this.shell = context.createSocket(SocketType.DEALER);
        this.control = context.createSocket(SocketType.DEALER);
        this.iopub = context.createSocket(SocketType.SUB);
        shell.connect(c.address(c.shellPort()));
        control.connect(c.address(c.controlPort()));
        iopub.subscribe(new byte[0]);
        iopub.connect(c.address(c.iopubPort()));
    }

    /**
     * Sends kernel_info_request until the reply and the iopub status of the request have both arrived, so that
     * iopub is known to be connected; returns the reply.
     */
    Msg awaitReady(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            String id = send(shell, "kernel_info_request", new JsonObject());
            Msg reply = receive(shell, id, Math.min(1000, deadline - System.currentTimeMillis()));
            if (reply != null && awaitIdle(id, 500) != null) {
                return reply;
            }
        }
        throw new IllegalStateException("the kernel did not answer kernel_info_request within " + timeoutMs + " ms");
    }

    Execution execute(String code, long timeoutMs) {
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        content.addProperty("silent", false);
        content.addProperty("store_history", true);
        content.add("user_expressions", new JsonObject());
        content.addProperty("allow_stdin", false);
        content.addProperty("stop_on_error", true);
        String id = send(shell, "execute_request", content);
        return collect(id, timeoutMs);
    }

    /** Waits for the shell reply to a request and the iopub messages up to its idle status. */
    Execution collect(String requestId, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        Msg reply = receive(shell, requestId, timeoutMs);
        if (reply == null) {
            throw new IllegalStateException("no reply to " + requestId + " within " + timeoutMs + " ms");
        }
        List<Msg> published = awaitIdle(requestId, Math.max(1, deadline - System.currentTimeMillis()));
        if (published == null) {
            throw new IllegalStateException("no idle status after " + requestId + " within " + timeoutMs + " ms");
        }
        return new Execution(reply, published);
    }

    /** Sends a request on the shell channel and returns its msg_id. */
    String request(String type, JsonObject content) {
        return send(shell, type, content);
    }

    /** Sends a request on the control channel and returns its msg_id. */
    String controlRequest(String type, JsonObject content) {
        return send(control, type, content);
    }

    /** The shell reply to a request, or null after the timeout. */
    Msg shellReply(String requestId, long timeoutMs) {
        return receive(shell, requestId, timeoutMs);
    }

    Msg controlReply(String requestId, long timeoutMs) {
        return receive(control, requestId, timeoutMs);
    }

    /** Sends a shell request signed with this key, or with {@code signature} instead where it is not null. */
    String sendWithSignature(String type, JsonObject content, String signature) {
        return send(shell, type, content, signature);
    }

    private String send(ZMQ.Socket socket, String type, JsonObject content) {
        return send(socket, type, content, null);
    }

    private String send(ZMQ.Socket socket, String type, JsonObject content, String signature) {
        String id = UUID.randomUUID().toString();
        JsonObject header = new JsonObject();
        header.addProperty("msg_id", id);
        header.addProperty("session", session);
        header.addProperty("username", "asyncdiff-client");
        header.addProperty("date", Instant.now().toString());
        header.addProperty("msg_type", type);
        header.addProperty("version", "5.3");
        byte[][] parts = {bytes(header), bytes(new JsonObject()), bytes(new JsonObject()), bytes(content)};
        socket.sendMore(DELIMITER);
        socket.sendMore(signature != null ? signature : sign(parts));
        socket.sendMore(parts[0]);
        socket.sendMore(parts[1]);
        socket.sendMore(parts[2]);
        socket.send(parts[3]);
        return id;
    }

    /** iopub messages of a request up to and including its idle status; null after the timeout. */
    List<Msg> awaitIdle(String requestId, long timeoutMs) {
        List<Msg> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            Msg m = read(iopub, left);
            if (m == null || !m.parentId().equals(requestId)) {
                continue;
            }
            out.add(m);
            if (m.type().equals("status") && m.content().get("execution_state").getAsString().equals("idle")) {
                return out;
            }
        }
    }

    private Msg receive(ZMQ.Socket socket, String requestId, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            Msg m = read(socket, left);
            if (m != null && m.parentId().equals(requestId)) {
                return m;
            }
        }
    }

    private Msg read(ZMQ.Socket socket, long timeoutMs) {
        socket.setReceiveTimeOut((int) Math.max(1, Math.min(timeoutMs, Integer.MAX_VALUE)));
        byte[] frame = socket.recv();
        if (frame == null) {
            return null;
        }
        while (!Arrays.equals(frame, DELIMITER)) {
            frame = socket.recv();
        }
        String signature = socket.recvStr();
        byte[][] parts = {socket.recv(), socket.recv(), socket.recv(), socket.recv()};
        while (socket.hasReceiveMore()) {
            socket.recv();
        }
        if (!MessageDigest.isEqual(sign(parts).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            throw new IllegalStateException("the kernel sent a message with a wrong signature");
        }
        return new Msg(json(parts[0]), json(parts[1]), json(parts[3]));
    }

    private String sign(byte[][] parts) {
        if (key.length == 0) {
            return "";
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    private static byte[] bytes(JsonObject o) {
        return GSON.toJson(o).getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject json(byte[] b) {
        return GSON.fromJson(new String(b, StandardCharsets.UTF_8), JsonObject.class);
    }

    @Override
    public void close() {
        context.close();
    }
}
