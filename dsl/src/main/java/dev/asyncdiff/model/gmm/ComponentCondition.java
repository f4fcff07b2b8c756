package dev.asyncdiff.model.gmm;

import dev.asyncdiff.model.Conditioning;

import java.util.Arrays;

/** GMM conditioning: per sample the component index, or {@link #WHOLE_MIXTURE} for the unconditional model. */
public record ComponentCondition(int[] components) implements Conditioning {
    public static final int WHOLE_MIXTURE = -1;

    @Override
    public int size() {
        return components.length;
    }

    @Override
    public Conditioning concat(Conditioning other) {
        int[] o = ((ComponentCondition) other).components;
        int[] out = Arrays.copyOf(components, components.length + o.length);
        System.arraycopy(o, 0, out, components.length, o.length);
        return new ComponentCondition(out);
    }
}
