package dev.asyncdiff.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcMemoryTest {
    static final String MEMINFO = """
            MemTotal:       24542116 kB
            MemFree:        17826068 kB
            MemAvailable:   20788528 kB
            Buffers:          123456 kB
            """;

    @Test
    void aFieldIsReadInKilobytesFromItsOwnLine() {
        assertEquals(20788528, ProcMemory.kilobytes(MEMINFO, "MemAvailable"));
        assertEquals(24542116, ProcMemory.kilobytes(MEMINFO, "MemTotal"));
    }

    @Test
    void aMissingFieldIsAnError() {
        assertThrows(IllegalStateException.class, () -> ProcMemory.kilobytes(MEMINFO, "VmHWM"));
    }

    @Test
    void thisProcessHasAPeakAtLeastAsLargeAsItsHeapInUseAndTheMachineHasMemoryAvailable() {
        Runtime r = Runtime.getRuntime();
        assertTrue(ProcMemory.peakResidentBytes() >= r.totalMemory() - r.freeMemory());
        assertTrue(ProcMemory.availableBytes() > 0);
    }
}
