package dev.asyncdiff.model;

/** A batch of encoded prompts, opaque to samplers; each backbone defines its own. */
public interface Conditioning {

    /** Number of samples conditioned. */
    int size();

    /** This batch followed by {@code other}, for one batched conditional + unconditional call. */
    Conditioning concat(Conditioning other);

    /** The rows of {@code a} followed by those of {@code b}: what a concat does to each per-row field. */
    static <T> T[] join(T[] a, T[] b) {
        T[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The entries of {@code a} followed by those of {@code b}. */
    static <T> java.util.List<T> join(java.util.List<T> a, java.util.List<T> b) {
        java.util.List<T> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
