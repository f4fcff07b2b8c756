package dev.asyncdiff.sample;

/** Eq. 4 (with Eq. 9 and, in velocity-scale mode, Eq. 19): x_{k+1} = x_k + (t_{k+1} − t_k)·ω·v(x_k, t*_k). */
public record Euler() implements Solver {

    @Override
    public String name() {
        return "euler";
    }

    @Override
    public float[][] step(SolverStep s) {
        int width = s.width();
        return s.eachRow(i -> {
            float[] h = new float[width];
            for (int p = 0; p < h.length; p++) {
                h[p] = (float) (s.tNext().at(i, p) - s.t().at(i, p)) * (float) s.omega()[i];
            }
            return s.axpy(s.x()[i], h, s.v()[i]);
        });
    }
}
