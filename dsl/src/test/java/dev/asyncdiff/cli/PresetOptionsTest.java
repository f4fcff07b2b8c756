package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.sample.ClassifierFreeGuidance;
import dev.asyncdiff.sample.DistilledGuidance;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** An option the user does not give leaves the backbone's preset alone; one they give replaces only its value. */
class PresetOptionsTest {

    /** The pipeline `sample --backbone NAME ARGS…` would sample with. */
    static Pipeline sampled(String backbone, String... args) {
        SampleCommand cmd = new SampleCommand();
        new CommandLine(cmd).parseArgs(Stream.concat(Stream.of("--prompt", "a cat", "--backbone", backbone),
                Stream.of(args)).toArray(String[]::new));
        return cmd.sampling.applyTo(Backbones.pipeline(cmd.backbone, null, null));
    }

    /** SD3's static shift written out: t' = s·t / (1 + (s − 1)·t) on the uniform grid. */
    static double[] shifted(int steps, double s) {
        double[] t = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            double u = 1.0 - (double) k / steps;
            t[k] = s * u / (1 + (s - 1) * u);
        }
        return t;
    }

    /** Flux's dynamic shift written out for a token count: μ linear through (256, 0.5) and (4096, 1.15). */
    static double[] fluxDynamic(int steps, int tokens) {
        double mu = 0.5 + (1.15 - 0.5) * (tokens - 256) / (4096.0 - 256);
        double[] t = new double[steps + 1];
        for (int k = 0; k < steps; k++) {
            double u = 1.0 - (double) k / steps;
            t[k] = Math.exp(mu) / (Math.exp(mu) + (1 / u - 1));
        }
        return t;
    }

    @Nested
    class Sd35 {
        @Test
        void withoutOptionsKeepsFifteenStepsShiftThreeAndCfgFive() {
            Pipeline p = sampled("sd35");
            assertEquals(15, p.steps());
            assertArrayEquals(shifted(15, 3), p.grid(), 1e-12);
            assertEquals(new ClassifierFreeGuidance(5), p.guidance());
            assertEquals(Pipeline.sd35().describe(), p.describe());
        }

        @Test
        void givenStepsReplaceOnlyTheStepCount() {
            Pipeline p = sampled("sd35", "--steps", "20");
            assertArrayEquals(shifted(20, 3), p.grid(), 1e-12);
            assertEquals(new ClassifierFreeGuidance(5), p.guidance());
        }

        @Test
        void givenScheduleAndGuidanceReplaceOnlyThose() {
            Pipeline p = sampled("sd35", "--schedule", "uniform", "--guidance", "7", "--seed", "3");
            assertEquals(15, p.steps());
            assertArrayEquals(shifted(15, 1), p.grid(), 1e-12);
            assertEquals(new ClassifierFreeGuidance(7), p.guidance());
            assertEquals(3, p.seed());
        }
    }

    @Nested
    class Flux {
        @Test
        void withoutOptionsKeepsTenStepsTheDynamicShiftAndDistilledGuidance() {
            Pipeline p = sampled("flux");
            assertEquals(10, p.steps());
            assertEquals(new DistilledGuidance(3.5), p.guidance());
            assertArrayEquals(fluxDynamic(10, 1024), p.grid(), 1e-12);
        }

        @Test
        void aGivenGuidanceKeepsItDistilled() {
            assertEquals(new DistilledGuidance(4), sampled("flux", "--guidance", "4").guidance());
        }

        @Test
        void theDynamicShiftReadsThe1024PackedTokensWhicheverWayItIsAskedFor() {
            for (Pipeline p : List.of(Pipeline.flux(), Pipeline.flux().schedule("flux-dynamic"),
                    sampled("flux", "--schedule", "flux-dynamic"), sampled("flux", "--schedule", "flux-dynamic:1024"))) {
                assertEquals("flux-dynamic:1024", p.schedule().spec());
                assertArrayEquals(fluxDynamic(10, 1024), p.grid(), 1e-12);
            }
        }

        @Test
        void anotherTokenCountIsAnotherGridAndSaysSo() {
            Pipeline p = sampled("flux", "--schedule", "flux-dynamic:4096");
            assertEquals("flux-dynamic:4096", p.schedule().spec());
            assertArrayEquals(fluxDynamic(10, 4096), p.grid(), 1e-12);
        }
    }

    @Test
    void aBadTokenCountIsOneLine() {
        CliRun.of("sample", "--backbone", "flux", "--prompt", "a cat", "--schedule", "flux-dynamic:1.5", "--out",
                "target/never-written").assertBadInput(java.nio.file.Path.of("target/never-written"),
                "schedule 'flux-dynamic:1.5' needs a whole token count >= 1");
    }
}
