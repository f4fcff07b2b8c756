package dev.asyncdiff.model.tiny;

import java.util.Map;
import java.util.Set;

/**
 * The two architecture choices of the tiny DiT that training runs compare, read back from a weights file by the
 * names of its tensors.
 *
 * @param modulation where adaLN's shift/scale/gate come from
 * @param positions  how token positions enter the patch embedding
 */
public record DiTArchitecture(Modulation modulation, Positions positions) {
    /**
     * {@code SHARED}: adaLN-single (PixArt-α): one projection of the conditioning embedding shared by every block,
     * plus a learned per-block offset table. {@code PER_BLOCK}: adaLN-Zero (DiT): every block and the final layer
     * project the embedding themselves, initialised to zero so that each block starts as the identity.
     */
    public enum Modulation { SHARED, PER_BLOCK }

    /**
     * {@code LEARNED}: a learned table, initialised small. {@code SINCOS}: the fixed 2D sine-cosine table of
     * MAE/DiT (half the channels encode the row, half the column) times a learned per-channel gain.
     */
    public enum Positions { LEARNED, SINCOS }

    /** The first generation, which the weights shipped until the second generation finished training use. */
    public static final DiTArchitecture V1 = new DiTArchitecture(Modulation.SHARED, Positions.LEARNED);
    /** The second generation: what {@code train-base} trains unless told otherwise. */
    public static final DiTArchitecture V2 = new DiTArchitecture(Modulation.PER_BLOCK, Positions.SINCOS);

    /** Parses {@code v1}, {@code v2} or {@code MODULATION+POSITIONS} such as {@code per-block+learned}. */
    public static DiTArchitecture parse(String spec) {
        String s = spec.strip().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("v1")) {
            return V1;
        }
        if (s.equals("v2")) {
            return V2;
        }
        String[] parts = s.split("\\+");
        if (parts.length == 2) {
            for (Modulation m : Modulation.values()) {
                for (Positions p : Positions.values()) {
                    if (parts[0].equals(word(m)) && parts[1].equals(word(p))) {
                        return new DiTArchitecture(m, p);
                    }
                }
            }
        }
        throw new IllegalArgumentException("--arch must be v1, v2 or MODULATION+POSITIONS with MODULATION shared or "
                + "per-block and POSITIONS learned or sincos (got " + spec + ")");
    }

    /** The architecture whose layout names these DiT tensors (names without the {@code dit.} prefix). */
    static DiTArchitecture of(Set<String> names, String source) {
        boolean perBlock = names.contains("block0.mod.w");
        boolean shared = names.contains("mod.w");
        boolean sincos = names.contains("pos_gain");
        boolean learned = names.contains("pos");
        if (perBlock == shared || sincos == learned) {
            throw new IllegalArgumentException(source + " holds no tiny DiT of a known architecture (its "
                    + "modulation or position tensors are missing)");
        }
        return new DiTArchitecture(perBlock ? Modulation.PER_BLOCK : Modulation.SHARED,
                sincos ? Positions.SINCOS : Positions.LEARNED);
    }

    static DiTArchitecture ofPrefixed(Map<String, ?> tensors, String prefix, String source) {
        Set<String> names = new java.util.HashSet<>();
        tensors.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(k -> names.add(k.substring(prefix.length())));
        return of(names, source);
    }

    @Override
    public String toString() {
        return word(modulation) + "+" + word(positions);
    }

    private static String word(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
