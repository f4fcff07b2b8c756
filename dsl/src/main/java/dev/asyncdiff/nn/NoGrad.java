package dev.asyncdiff.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Autograd switched off for a block of inference on this thread (grad mode is per thread), and the previous mode
 * restored when the block ends, so that inference inside a training step leaves training's mode alone:
 * {@code try (NoGrad ignored = NoGrad.enter()) { … }}.
 */
public final class NoGrad implements AutoCloseable {
    private final boolean previous;

    private NoGrad(boolean previous) {
        this.previous = previous;
    }

    public static NoGrad enter() {
        Engine.getEngine("PyTorch"); // loads the native library on first use, which the grad-mode calls need
        NoGrad scope = new NoGrad(JniUtils.isGradMode());
        JniUtils.setGradMode(false);
        return scope;
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
