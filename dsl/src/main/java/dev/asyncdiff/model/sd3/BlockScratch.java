package dev.asyncdiff.model.sd3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The native memory of one transformer block in a forward pass. Every array an operation makes belongs to the
 * manager of its first operand, so without a scope each block's temporaries (several attention-sized arrays, the
 * MLP's wide activations) would live until the whole pass ends: for SD3.5-medium at 512×512 that is tens of GB. The
 * block's inputs are moved here (the block consumes them), arrays shared by all blocks are lent for the block's
 * duration, and only what {@link #keep} hands back to the pass outlives {@link #close}.
 */
public final class BlockScratch implements AutoCloseable {
    private final NDManager pass;
    private final NDManager scratch;

    /**
     * @param consumed the block's inputs that no later block reads (freed with the scratch)
     * @param shared   arrays later blocks read too (the conditioning); each goes back to the pass at close
     */
    public BlockScratch(NDManager pass, NDArray[] consumed, NDArray... shared) {
        this.pass = pass;
        this.scratch = pass.newSubManager();
        for (NDArray a : consumed) {
            a.attach(scratch);
        }
        // One array may be passed twice (per-sample conditioning is one array for both streams): lend it once.
        Set<NDArray> lent = Collections.newSetFromMap(new IdentityHashMap<>());
        for (NDArray a : shared) {
            if (lent.add(a)) {
                a.tempAttach(scratch);
            }
        }
    }

    /** Hands a block's output to the pass, so that it outlives the scratch. */
    public NDArray keep(NDArray a) {
        a.attach(pass);
        return a;
    }

    @Override
    public void close() {
        scratch.close();
    }
}
