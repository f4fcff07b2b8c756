package dev.asyncdiff.bench;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

/**
 * What one side of the backbone benchmark measured in its own process: the timed forward passes after a warm-up,
 * the matrix-product rate of the same process, and the process's peak resident memory. bench_backbone.py writes
 * the same fields.
 *
 * @param implementation e.g. "Java, DJL, torch 2.7.1" or "Python, torch 1.13.1"
 * @param weightsSeconds time to draw the random weights
 * @param passSeconds    each timed pass
 * @param outputRms      root mean square of the last velocity: finite and of the scale of the other side's, a check
 *                       that the pass computed numbers (the two sides' random weights differ, so this is no parity)
 */
public record PassResult(String implementation, int threads, double weightsSeconds, double[] passSeconds,
                         double matmulGflops, long peakBytes, double outputRms) {

    /** The median pass. */
    public double seconds() {
        return Median.of(passSeconds);
    }

    /** Achieved GFLOP/s for a pass of {@code flops}. */
    public double gflops(double flops) {
        return flops / seconds() / 1e9;
    }

    /** The achieved rate as a fraction of this process's matrix-product rate. */
    public double matmulFraction(double flops) {
        return gflops(flops) / matmulGflops;
    }

    public JsonObject toJson() {
        Gson gson = new Gson();
        JsonObject o = new JsonObject();
        o.addProperty("implementation", implementation);
        o.addProperty("threads", threads);
        o.addProperty("weights_seconds", weightsSeconds);
        o.add("pass_seconds", gson.toJsonTree(passSeconds));
        o.addProperty("matmul_gflops", matmulGflops);
        o.addProperty("peak_bytes", peakBytes);
        o.addProperty("output_rms", outputRms);
        return o;
    }

    public static PassResult fromJson(JsonObject o) {
        return new PassResult(o.get("implementation").getAsString(), o.get("threads").getAsInt(),
                o.get("weights_seconds").getAsDouble(), new Gson().fromJson(o.get("pass_seconds"), double[].class),
                o.get("matmul_gflops").getAsDouble(), o.get("peak_bytes").getAsLong(),
                o.get("output_rms").getAsDouble());
    }
}
