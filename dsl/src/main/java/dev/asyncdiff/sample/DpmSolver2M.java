package dev.asyncdiff.sample;

/**
 * DPM-Solver++(2M) in flow-matching form: α_t = 1 − t, σ_t = t, λ_t = log(α_t/σ_t), data prediction
 * D_k = x − t_k·v(x, t*_k) (the loop's x0), h_k = λ_{k+1} − λ_k and
 * x_{k+1} = (σ_{k+1}/σ_k)·x − α_{k+1}·(e^{−h_k} − 1)·D with D = (1 + 1/(2ρ))·D_k − 1/(2ρ)·D_{k−1}, ρ = h_{k−1}/h_k.
 * e^{−h_k} is computed as (α_k·σ_{k+1})/(σ_k·α_{k+1}), finite at t_k = 1 where λ_k = −∞. D = D_k (first order) on
 * the first step and on the step after t = 1, where ρ is infinite. Where t_{k+1} = 0 it takes the Euler step.
 */
public record DpmSolver2M() implements Solver {

    @Override
    public String name() {
        return "dpmpp2m";
    }

    @Override
    public float[][] step(SolverStep s) {
        int width = s.width();
        int[] index = s.index(width);
        return s.eachRow(i -> {
            float[] cx = new float[width];
            float[] cd = new float[width];
            float[] cdPrev = new float[width];
            for (int p = 0; p < cx.length; p++) {
                double t = s.t().at(i, p);
                double tNext = s.tNext().at(i, p);
                if (tNext == 0.0) {
                    cd[p] = 1f; // the Euler step: x_{k+1} = x − t_k·v = D_k
                    continue;
                }
                double expMinusH = ((1 - t) * tNext) / (t * (1 - tNext));
                double d = -(1 - tNext) * (expMinusH - 1);
                cx[p] = (float) (tNext / t);
                if (s.tPrev() == null || s.tPrev().at(i, p) == 1.0) {
                    cd[p] = (float) d;
                    continue;
                }
                double tPrev = s.tPrev().at(i, p);
                double hPrev = Math.log(((1 - t) * tPrev) / (t * (1 - tPrev)));
                double rho = hPrev / -Math.log(expMinusH);
                cd[p] = (float) (d * (1 + 1 / (2 * rho)));
                cdPrev[p] = (float) (-d / (2 * rho));
            }
            float[] x = s.x()[i];
            float[] x0 = s.x0()[i];
            float[] x0Prev = s.x0Prev() == null ? x0 : s.x0Prev()[i]; // weighted 0 at first order
            float[] row = new float[x.length];
            for (int j = 0; j < x.length; j++) {
                int p = index[j];
                row[j] = cx[p] * x[j] + cd[p] * x0[j] + cdPrev[p] * x0Prev[j];
            }
            return row;
        });
    }
}
