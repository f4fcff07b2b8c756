package dev.asyncdiff.sample;

import ai.djl.ndarray.NDArray;

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
    public NDArray step(SolverStep s) {
        int width = s.width();
        float[][] cx = s.newCoefficients(width);
        float[][] cd = s.newCoefficients(width);
        float[][] cdPrev = s.newCoefficients(width);
        for (int i = 0; i < cx.length; i++) {
            for (int p = 0; p < width; p++) {
                double t = s.t().at(i, p);
                double tNext = s.tNext().at(i, p);
                if (tNext == 0.0) {
                    cd[i][p] = 1f; // the Euler step: x_{k+1} = x − t_k·v = D_k
                    continue;
                }
                double expMinusH = ((1 - t) * tNext) / (t * (1 - tNext));
                double d = -(1 - tNext) * (expMinusH - 1);
                cx[i][p] = (float) (tNext / t);
                if (s.tPrev() == null || s.tPrev().at(i, p) == 1.0) {
                    cd[i][p] = (float) d;
                    continue;
                }
                double tPrev = s.tPrev().at(i, p);
                double hPrev = Math.log(((1 - t) * tPrev) / (t * (1 - tPrev)));
                double rho = hPrev / -Math.log(expMinusH);
                cd[i][p] = (float) (d * (1 + 1 / (2 * rho)));
                cdPrev[i][p] = (float) (-d / (2 * rho));
            }
        }
        NDArray out = s.times(s.x(), cx).addi(s.times(s.x0(), cd));
        boolean firstOrder = true;
        for (float[] row : cdPrev) {
            for (float c : row) {
                firstOrder &= c == 0f;
            }
        }
        return firstOrder ? out : out.addi(s.times(s.x0Prev(), cdPrev));
    }
}
