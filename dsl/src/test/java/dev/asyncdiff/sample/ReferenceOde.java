package dev.asyncdiff.sample;

import dev.asyncdiff.model.gmm.GmmSpec;

/**
 * A high-accuracy solution of the probability-flow ODE dx/dt = v(x, t) of a Gaussian mixture, written apart from the
 * sampler and the model: the mixture's exact velocity in double precision (its own derivation,
 * v = E[ε − x0 | x_t = x] with x_t = (1 − t)·x0 + t·ε), integrated by classical RK4 with Richardson extrapolation
 * over 2,000 and 4,000 steps. A solve that ends above t = 0 returns the clean prediction x − t·v there, as the
 * sampler does.
 */
final class ReferenceOde {
    static final int STEPS = 2000;

    private ReferenceOde() {
    }

    static double[] solve(GmmSpec spec, double[] x, double from, double to) {
        double[] coarse = rk4(spec, x, from, to, STEPS);
        double[] fine = rk4(spec, x, from, to, 2 * STEPS);
        double[] out = new double[x.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = fine[j] + (fine[j] - coarse[j]) / 15.0; // RK4's error is O(h⁴): 2⁴ − 1 = 15
        }
        if (to > 0) {
            double[] v = velocity(spec, out, to);
            for (int j = 0; j < out.length; j++) {
                out[j] -= to * v[j];
            }
        }
        return out;
    }

    private static double[] rk4(GmmSpec spec, double[] x0, double from, double to, int n) {
        double[] x = x0.clone();
        double h = (to - from) / n;
        for (int s = 0; s < n; s++) {
            double t = from + s * h;
            double[] k1 = velocity(spec, x, t);
            double[] k2 = velocity(spec, shifted(x, h / 2, k1), t + h / 2);
            double[] k3 = velocity(spec, shifted(x, h / 2, k2), t + h / 2);
            double[] k4 = velocity(spec, shifted(x, h, k3), t + h);
            for (int j = 0; j < x.length; j++) {
                x[j] += h / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
            }
        }
        return x;
    }

    private static double[] shifted(double[] x, double h, double[] k) {
        double[] out = x.clone();
        for (int j = 0; j < out.length; j++) {
            out[j] += h * k[j];
        }
        return out;
    }

    /**
     * Given component c (mean μ, std s), x_t ~ N((1 − t)μ, ((1 − t)²s² + t²)I) and, by Gaussian conditioning,
     * E[ε | x_t] = t·(x − (1 − t)μ)/V and E[x0 | x_t] = μ + (1 − t)s²·(x − (1 − t)μ)/V; their difference is weighted by
     * the posterior of c.
     */
    static double[] velocity(GmmSpec spec, double[] x, double t) {
        int kc = spec.components();
        double a = 1 - t;
        double[] logp = new double[kc];
        double best = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < kc; c++) {
            double var = a * a * spec.stds()[c] * spec.stds()[c] + t * t;
            double lp = Math.log(spec.weights()[c]) - 0.5 * x.length * Math.log(var);
            for (int j = 0; j < x.length; j++) {
                double r = x[j] - a * spec.means()[c][j];
                lp -= r * r / (2 * var);
            }
            logp[c] = lp;
            best = Math.max(best, lp);
        }
        double z = 0;
        for (int c = 0; c < kc; c++) {
            logp[c] = Math.exp(logp[c] - best);
            z += logp[c];
        }
        double[] v = new double[x.length];
        for (int c = 0; c < kc; c++) {
            double s2 = spec.stds()[c] * spec.stds()[c];
            double var = a * a * s2 + t * t;
            for (int j = 0; j < x.length; j++) {
                double r = x[j] - a * spec.means()[c][j];
                double eps = t * r / var;
                double clean = spec.means()[c][j] + a * s2 * r / var;
                v[j] += logp[c] / z * (eps - clean);
            }
        }
        return v;
    }
}
