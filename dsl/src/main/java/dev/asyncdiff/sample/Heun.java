package dev.asyncdiff.sample;

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
    public float[][] step(SolverStep s) {
        float[][] predictor = EULER.step(s);
        if (s.endsAtZero()) {
            return predictor;
        }
        float[][] vNext = s.field().at(predictor, s.tNext());
        int width = s.width();
        int[] index = s.index(width);
        return s.eachRow(i -> {
            float[] halfH = new float[width];
            boolean[] euler = new boolean[width];
            for (int p = 0; p < halfH.length; p++) {
                halfH[p] = (float) (0.5 * (s.tNext().at(i, p) - s.t().at(i, p)));
                euler[p] = s.tNext().at(i, p) == 0.0;
            }
            float[] x = s.x()[i];
            float[] v = s.v()[i];
            float[] row = new float[x.length];
            for (int j = 0; j < x.length; j++) {
                int p = index[j];
                row[j] = euler[p] ? predictor[i][j] : x[j] + halfH[p] * (v[j] + vNext[i][j]);
            }
            return row;
        });
    }
}
