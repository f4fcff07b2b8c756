package dev.asyncdiff.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.nn.NativeData;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A batch of flattened latents (or velocities, or clean predictions), one row per sample, held natively during a
 * sampling run and copied to Java rows only when someone asks for them (a callback, a policy that reads them, or
 * {@code recordStates}). A batch made from Java rows is uploaded on first native use instead. The native array
 * belongs to the run: rows must be asked for while the call that handed the batch over is running.
 */
public final class Latents {
    private static final AtomicLong COPIES = new AtomicLong();
    private NDArray array;
    private float[][] rows;
    private Supplier<NDArray> pending;

    private Latents(NDArray array, float[][] rows, Supplier<NDArray> pending) {
        this.array = array;
        this.rows = rows;
        this.pending = pending;
    }

    /**
     * A native batch computed only if someone asks for it (a clean prediction that only some solvers, policies and
     * recorded states read); once computed it is its holder's to {@link #close}, whatever scope computed it.
     */
    public static Latents lazy(Supplier<NDArray> compute) {
        return new Latents(null, null, compute);
    }

    /** A native batch [B, D]; null gives null. */
    public static Latents of(NDArray array) {
        return array == null ? null : new Latents(array, null, null);
    }

    /** A batch of Java rows; null gives null. */
    public static Latents of(float[][] rows) {
        return rows == null ? null : new Latents(null, rows, null);
    }

    /** The rows as Java arrays, copied once from the native array on first call. */
    public float[][] rows() {
        if (rows == null) {
            rows = rows(array());
            COPIES.incrementAndGet();
        }
        return rows;
    }

    /** How many native batches were copied to Java rows by {@link #rows()} so far in this JVM (a diagnostic). */
    public static long copiesToJava() {
        return COPIES.get();
    }

    /** Whether the batch is (or is computed as) a native array, so {@link #array()} needs no manager. */
    public boolean isNative() {
        return array != null || pending != null;
    }

    /** The native array [B, D] of a batch that is native (inside a sampling run). */
    public NDArray array() {
        if (array == null && pending != null) {
            array = pending.get();
            pending = null;
            NDScope.unregister(array);
        }
        if (array == null) {
            throw new IllegalStateException("this batch was made from Java rows; ask for array(manager)");
        }
        return array;
    }

    /** The batch as a native array [B, D], uploaded into {@code manager} on first call when it came as rows. */
    public NDArray array(NDManager manager) {
        if (array == null && rows != null) {
            array = array(manager, rows);
        }
        return array();
    }

    /** Frees the native array, if there is one (a lazy batch nobody asked for has none). */
    public void close() {
        if (array != null) {
            array.close();
        }
    }

    /** Number of rows. */
    public int size() {
        return rows != null ? rows.length : (int) array().getShape().get(0);
    }

    /** Entries in one row. */
    public int width() {
        return rows != null ? rows[0].length : (int) (array().size() / array().getShape().get(0));
    }

    /** Native [B, …] as B flat Java rows. */
    public static float[][] rows(NDArray a) {
        int b = (int) a.getShape().get(0);
        float[] flat = a.toFloatArray();
        int w = b == 0 ? 0 : flat.length / b;
        float[][] out = new float[b][];
        for (int i = 0; i < b; i++) {
            out[i] = Arrays.copyOfRange(flat, i * w, (i + 1) * w);
        }
        return out;
    }

    /** Java rows of equal width as a native [B, D]. */
    public static NDArray array(NDManager manager, float[][] rows) {
        int w = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * w];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != w) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " entries; row 0 has " + w);
            }
            System.arraycopy(rows[i], 0, flat, i * w, w);
        }
        return NativeData.of(manager, flat, new Shape(rows.length, w));
    }
}
