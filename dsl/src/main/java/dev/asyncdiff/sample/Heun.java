package dev.asyncdiff.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * Heun's second-order method: the Euler predictor x' = x + h·v(x, t*_k), then the corrector evaluation at the grid
 * time t_{k+1} and x_{k+1} = x + h/2·(v(x, t*_k) + v(x', t_{k+1})), h = t_{k+1} − t_k. Positions that reach t = 0
 * keep the predictor (the Euler step); a step where all do makes no corrector evaluation.
 */
public record Heun() implements Solver {

    @Override
    public String name() {
        return "heun";
    }

    @Override
    public NDArray step(SolverStep s) {
        NDArray predictor = EULER.step(s);
        if (s.endsAtZero()) {
            return predictor;
        }
        NDArray vNext = s.field().at(predictor, s.tNext());
        float[][] halfH = s.newCoefficients(s.width());
        float[][] euler = s.newCoefficients(s.width());
        boolean anyEuler = false;
        for (int i = 0; i < halfH.length; i++) {
            for (int p = 0; p < halfH[i].length; p++) {
                halfH[i][p] = (float) (0.5 * (s.tNext().at(i, p) - s.t().at(i, p)));
                euler[i][p] = s.tNext().at(i, p) == 0.0 ? 1f : 0f;
                anyEuler |= euler[i][p] == 1f;
            }
        }
        NDArray corrected = s.times(s.v().add(vNext), halfH).addi(s.x());
        return anyEuler ? NDArrays.where(s.coefficients(euler).gt(0.5f), predictor, corrected) : corrected;
    }
}
