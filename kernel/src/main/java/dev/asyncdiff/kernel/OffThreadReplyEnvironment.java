package dev.asyncdiff.kernel;

import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.channels.StdinChannel;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A reply environment whose iopub messages (streams, displays, results, status) are sent by one publisher thread.
 * Cells print and update displays from the evaluation thread, and interrupt_request interrupts that thread: an
 * interrupt landing inside a ZeroMQ send made the send fail (EINTR) and could leave the socket's signalling pipe
 * closed. The caller waits for its message to be sent, so the order of messages is unchanged; an interrupt that
 * arrives meanwhile is kept for the cell to notice afterwards.
 */
final class OffThreadReplyEnvironment extends ShellReplyEnvironment {
    private final ExecutorService publisher;

    OffThreadReplyEnvironment(ShellChannel shell, StdinChannel stdin, JupyterSocket iopub, MessageContext context,
                              ExecutorService publisher) {
        super(shell, stdin, iopub, context);
        this.publisher = publisher;
    }

    @Override
    public void publish(Message<?> message) {
        Future<?> sent = publisher.submit(() -> super.publish(message));
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    sent.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
