package dev.asyncdiff.nn;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A background thread that keeps the garbage collector busy and refills freed native memory with a large float
 * (1e30), so that native memory still in use after Java freed it reads as garbage at once: what makes the
 * use-after-free of {@link NativeData} and {@link Ops#scaled} show in a few runs instead of one in twenty. Close it
 * to stop.
 */
public final class CollectionStorm implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;

    public CollectionStorm() {
        thread = new Thread(this::run, "collection-storm");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        List<ByteBuffer> held = new ArrayList<>();
        while (running) {
            System.gc();
            for (int j = 0; j < 64; j++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4 << (j % 12));
                while (b.remaining() >= 4) {
                    b.putFloat(1e30f);
                }
                held.add(b);
            }
            if (held.size() > 1024) {
                held.clear();
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
    }
}
