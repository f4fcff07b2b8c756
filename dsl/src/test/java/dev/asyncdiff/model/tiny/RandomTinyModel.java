package dev.asyncdiff.model.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.asyncdiff.nn.Params;
import dev.asyncdiff.world.Vocabulary;

import java.util.List;
import java.util.Random;

/**
 * A tiny model of a given DiT architecture whose text encoder and DiT weights are all drawn from N(0, 0.1²):
 * unlike a fresh initialisation (zero gates and outputs) every path of the network contributes, so comparisons
 * with a second implementation test all of it.
 */
public final class RandomTinyModel {
    private RandomTinyModel() {
    }

    /** The model's arrays live in {@code manager}. */
    public static TinyFlowModel create(NDManager manager, DiTArchitecture arch, long seed) {
        return TinyFlowModel.wrap(manager, networks(manager, arch, seed));
    }

    /** The same networks, unwrapped (for tests of the DiT itself). */
    static TinyNetworks networks(NDManager manager, DiTArchitecture arch, long seed) {
        TinyNetworks nets = TinyNetworks.initialize(manager, Vocabulary.words(), seed, arch);
        Random r = new Random(seed);
        for (Params p : List.of(nets.text.params(), nets.dit.params())) {
            for (NDArray a : p.all().values()) {
                float[] v = new float[(int) a.getShape().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (0.1 * r.nextGaussian());
                }
                a.set(v);
            }
        }
        return nets;
    }
}
