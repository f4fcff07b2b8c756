package dev.asyncdiff.sample;

import ai.djl.ndarray.NDArray;

/** Eq. 4 (with Eq. 9 and, in velocity-scale mode, Eq. 19): x_{k+1} = x_k + (t_{k+1} − t_k)·ω·v(x_k, t*_k). */
public record Euler() implements Solver {

    @Override
    public String name() {
        return "euler";
    }

    @Override
    public NDArray step(SolverStep s) {
        float[][] h = s.newCoefficients(s.width());
        for (int i = 0; i < h.length; i++) {
            for (int p = 0; p < h[i].length; p++) {
                h[i][p] = (float) (s.tNext().at(i, p) - s.t().at(i, p)) * (float) s.omega()[i];
            }
        }
        return s.times(s.v(), h).addi(s.x());
    }
}
