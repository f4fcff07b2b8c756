package dev.asyncdiff.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelJvmComparisonTest {
    @Test
    void theKernelspecComesFirstWithRatioOneAndEachVariantIsMeasuredAgainstIt() throws Exception {
        KernelJvmComparison c = KernelJvmComparison.run(List.of(List.of("-XX:+UseG1GC")), "2 * 21", 1, 0, 3);
        assertEquals(2, c.rows().size());
        KernelJvmComparison.Row spec = c.rows().get(0);
        KernelJvmComparison.Row g1 = c.rows().get(1);
        assertEquals(KernelSpecs.TUNING + " (kernelspec)", spec.options());
        assertEquals(1.0, spec.ratio(), 1e-12);
        assertEquals("-XX:+UseG1GC", g1.options());
        assertEquals(g1.medianMillis() / spec.medianMillis(), g1.ratio(), 1e-12);
        assertTrue(spec.medianMillis() > 0 && spec.startSeconds() > 0, c.toString());
        assertTrue(c.table().contains("median of 3 cells \"2 * 21\""), c.table());
    }
}
