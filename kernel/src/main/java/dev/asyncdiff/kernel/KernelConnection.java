package dev.asyncdiff.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.ZMQ;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The kernel's five sockets, bound to the addresses of the connection file: the protocol library's heartbeat,
 * stdin and iopub channels, and {@link VerifiedShellChannel}s for shell and control.
 */
final class KernelConnection extends JupyterConnection {
    private final KernelConnectionProperties props;
    private final ZMQ.Context context = ZMQ.context(1);
    private final VerifiedShellChannel shellChannel;
    private final VerifiedShellChannel controlChannel;
    private final ExecutorService publisher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "asyncdiff-iopub");
        t.setDaemon(true);
        return t;
    });

    KernelConnection(KernelConnectionProperties props) throws NoSuchAlgorithmException, InvalidKeyException {
        super(props);
        this.props = props;
        this.shellChannel = new VerifiedShellChannel(context, props.createHMACGenerator(), false, this);
        this.controlChannel = new VerifiedShellChannel(context, props.createHMACGenerator(), true, this);
    }

    @Override
    public void connect() {
        heartbeat.bind(props);
        stdin.bind(props);
        iopub.bind(props);
        shellChannel.bind(props);
        controlChannel.bind(props);
        iopub.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
    }

    /** Reply environments whose iopub messages go out on the publisher thread (see OffThreadReplyEnvironment). */
    @Override
    public ShellReplyEnvironment prepareReplyEnv(ShellChannel channel, MessageContext context) {
        return new OffThreadReplyEnvironment(channel, stdin, iopub, context, publisher);
    }

    @Override
    public void close() {
        publisher.shutdown();
        shellChannel.close();
        controlChannel.close();
        super.close();
    }

    @Override
    public void waitUntilClose() {
        shellChannel.waitUntilClose();
        controlChannel.waitUntilClose();
        context.close();
        super.waitUntilClose();
    }
}
