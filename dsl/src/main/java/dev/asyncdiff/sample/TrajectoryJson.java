package dev.asyncdiff.sample;

import com.google.gson.stream.JsonWriter;
import dev.asyncdiff.io.AtomicFiles;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * trajectory.json: {"grid":[t_0,…,t_K], "config":{…}, "samples":[{"index":i, "prompt":"…",
 * "steps":[{"k", "t", "t_next", "t_cond", "r", "eta", "deviation", "alpha", "beta",
 * "logprob", "t_evals"}, …]}, …]} (α, β and log π(r) of a policy with a distribution, the TPM's Beta; null otherwise;
 * t_evals: the conditioning time of each model evaluation of the step, t_cond first), samples in prompt-major order.
 * The config names the solver. Under AsynDM each step also has "tau_in" and "tau_out", the mean t_k inside and outside
 * the step's mask (null for an empty side), and "mask" (1 inside, per position).
 */
public final class TrajectoryJson {
    private TrajectoryJson() {
    }

    /** @param config settings to echo under "config" (string values), so a file says how it was made */
    public static void write(Path file, double[] grid, java.util.List<Trajectory> trajectories, Map<String, String> config)
            throws IOException {
        AtomicFiles.write(file, out -> {
            JsonWriter w = new JsonWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.beginObject();
            w.name("grid").beginArray();
            for (double t : grid) {
                w.value(t);
            }
            w.endArray();
            w.name("config").beginObject();
            for (Map.Entry<String, String> e : config.entrySet()) {
                w.name(e.getKey()).value(e.getValue());
            }
            w.endObject();
            w.name("samples").beginArray();
            for (Trajectory tr : trajectories) {
                w.beginObject();
                w.name("index").value(tr.index());
                w.name("prompt").value(tr.prompt());
                w.name("steps").beginArray();
                for (TrajectoryStep s : tr.steps()) {
                    w.beginObject();
                    w.name("k").value(s.k());
                    w.name("t").value(s.t());
                    w.name("t_next").value(s.tNext());
                    w.name("t_cond").value(s.tCond());
                    w.name("r");
                    if (s.r() == null) {
                        w.setSerializeNulls(true);
                        w.nullValue();
                    } else {
                        w.value(s.r());
                    }
                    w.name("eta").value(s.eta());
                    w.name("deviation").value(s.deviation());
                    w.name("alpha");
                    nullable(w, s.policy() == null ? null : s.policy().alpha());
                    w.name("beta");
                    nullable(w, s.policy() == null ? null : s.policy().beta());
                    w.name("logprob");
                    nullable(w, s.logProb());
                    w.name("t_evals").beginArray();
                    for (double te : s.evaluations()) {
                        w.value(te);
                    }
                    w.endArray();
                    if (s.masked() != null) {
                        w.name("tau_in");
                        nullable(w, Double.isNaN(s.masked().tauIn()) ? null : s.masked().tauIn());
                        w.name("tau_out");
                        nullable(w, Double.isNaN(s.masked().tauOut()) ? null : s.masked().tauOut());
                        w.name("mask").beginArray();
                        for (boolean m : s.masked().mask()) {
                            w.value(m ? 1 : 0);
                        }
                        w.endArray();
                    }
                    w.endObject();
                }
                w.endArray();
                w.endObject();
            }
            w.endArray();
            w.endObject();
            w.flush();
        });
    }

    private static void nullable(JsonWriter w, Double v) throws IOException {
        if (v == null) {
            w.setSerializeNulls(true);
            w.nullValue();
        } else {
            w.value(v);
        }
    }
}
