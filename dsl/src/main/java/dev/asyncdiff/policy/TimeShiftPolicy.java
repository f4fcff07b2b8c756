package dev.asyncdiff.policy;

/**
 * {@code timeshift}: a flow-matching analogue of the exposure-bias time-shift sampler (Li et al., ICLR 2024). At step
 * k ≥ 1 it measures each latent's variance and conditions the model at the time whose nominal variance matches it.
 *
 * <p>Derivation. For x_t = (1 − t)·x0 + t·ε with ε ~ N(0, I) independent of x0, the per-entry second moment is
 * m(t) = (1 − t)²·s + t², s = E[x0²] (about 1 on a backbone whose latents are scaled to unit variance). Given a
 * latent's measured mean square v, m(t*) = v is the quadratic (s + 1)·t*² − 2s·t* + (s − v) = 0, with roots
 * t* = (s ± √(s² − (s + 1)(s − v)))/(s + 1). m falls until t = s/(s + 1) and rises after, so a variance names one
 * time only on the rising branch: like the original, which shifts only the early (noisy) steps, the policy acts
 * where t_k > s/(s + 1), takes the larger root, keeps it within the step's window (the times Eq. 6 reaches with
 * r ∈ [0, 1], η ∈ [0.5, 1.5]) and stays at t_k when there is no real root; below that it samples synchronously. It
 * returns the r that gives t*: r = (t* − t_{k−1})/(t_k − t_{k−1}) − 0.5. When the latent's statistics match the grid
 * (v = m(t_k)) the root is t_k and r = 0.5: synchronous sampling.
 *
 * @param dataMoment s = E[x0²] of the backbone's clean latents
 */
public record TimeShiftPolicy(double dataMoment) implements TimestepPolicy {
    public TimeShiftPolicy {
        if (!(dataMoment > 0) || Double.isInfinite(dataMoment)) {
            throw new IllegalArgumentException("timeshift needs the clean latents' mean square > 0 (got " + dataMoment
                    + ")");
        }
    }

    @Override
    public double[] decide(PolicyInput in) {
        double[] r = new double[in.size()];
        int k = in.step();
        for (int i = 0; i < r.length; i++) {
            if (k == 0 || in.grid()[k] <= turningPoint()) {
                r[i] = 0.5;
                continue;
            }
            double tPrev = in.grid()[k - 1];
            double t = in.grid()[k];
            double tStar = matchingTime(meanSquare(in.x()[i]), t);
            double lo = tPrev + 1.5 * (t - tPrev); // η = 1.5 (r = 1): the cleanest time in the window
            double hi = tPrev + 0.5 * (t - tPrev); // η = 0.5 (r = 0)
            tStar = Math.max(lo, Math.min(hi, tStar));
            r[i] = Math.max(0, Math.min(1, (tStar - tPrev) / (t - tPrev) - 0.5));
        }
        return r;
    }

    /** The root of m(t*) = v on m's rising branch, or t when there is none. */
    double matchingTime(double v, double t) {
        double s = dataMoment;
        double disc = s * s - (s + 1) * (s - v);
        return disc < 0 ? t : (s + Math.sqrt(disc)) / (s + 1);
    }

    /** s/(s + 1), where m is smallest: above it a larger variance means a later (noisier) time. */
    public double turningPoint() {
        return dataMoment / (dataMoment + 1);
    }

    /** m(t) = (1 − t)²·s + t². */
    public double nominalMeanSquare(double t) {
        return (1 - t) * (1 - t) * dataMoment + t * t;
    }

    private static double meanSquare(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += (double) v * v;
        }
        return sum / x.length;
    }

    @Override
    public String spec() {
        return dataMoment == 1.0 ? "timeshift" : "timeshift:" + dataMoment;
    }
}
