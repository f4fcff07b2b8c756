package dev.asyncdiff.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

/**
 * The shell or control channel. The protocol library checks each message's HMAC signature against the connection
 * file's key; its own channel loop then dies on the first bad message, and it sleeps 50 ms between polls. This loop
 * logs and drops unsigned, wrongly signed and malformed messages and keeps serving, and it wakes as soon as a
 * message arrives.
 */
final class VerifiedShellChannel extends ShellChannel {
    private static final Logger LOG = LoggerFactory.getLogger(VerifiedShellChannel.class);
    private static final long POLL_MS = 100;

    private final boolean control;
    private final JupyterConnection connection;
    private final String name;
    private volatile boolean running;
    private Thread loop;

    VerifiedShellChannel(ZMQ.Context context, HMACGenerator hmac, boolean control, JupyterConnection connection) {
        super(context, hmac, control, connection);
        this.control = control;
        this.connection = connection;
        this.name = control ? "control" : "shell";
    }

    @Override
    public void bind(KernelConnectionProperties props) {
        int port = control ? props.getControlPort() : props.getShellPort();
        String address = props.getTransport() + "://" + props.getIp() + ":" + port;
        bind(address);
        ZMQ.Poller poller = ctx.poller(1);
        poller.register(this, ZMQ.Poller.POLLIN);
        running = true;
        loop = new Thread(() -> serve(poller), "asyncdiff-" + name);
        loop.start();
    }

    private void serve(ZMQ.Poller poller) {
        try {
            while (running) {
                if (poller.poll(POLL_MS) <= 0) {
                    continue;
                }
                Message<?> message;
                try {
                    message = readMessage();
                } catch (SecurityException e) {
                    LOG.warn("{} channel: dropped a message whose signature does not match the connection file's key",
                            name);
                    continue;
                } catch (RuntimeException e) {
                    LOG.warn("{} channel: dropped a malformed message ({})", name, e.toString());
                    continue;
                }
                if (message != null) {
                    handle(message);
                }
            }
        } finally {
            poller.close();
            super.close();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void handle(Message message) {
        ShellHandler handler = connection.getHandler(message.getHeader().getType());
        if (handler == null) {
            LOG.warn("{} channel: no handler for {}", name, message.getHeader().getType().getName());
            return;
        }
        ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
        try {
            handler.handle(env, message);
        } catch (RuntimeException e) {
            LOG.warn("{} channel: {} failed: {}", name, message.getHeader().getType().getName(), e.toString());
        } finally {
            env.resolveDeferrals();
        }
        if (env.isMarkedForShutdown()) {
            connection.close();
        }
    }

    /** Stops the loop; the loop closes the socket on its own thread (ZeroMQ sockets are not thread-safe). */
    @Override
    public void close() {
        running = false;
    }

    @Override
    public void waitUntilClose() {
        Thread t = loop;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
