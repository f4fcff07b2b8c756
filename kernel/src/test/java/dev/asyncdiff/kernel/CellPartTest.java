package dev.asyncdiff.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CellPartTest {
    @Test
    void aLineMagicSplitsTheCellAndCodeKeepsItsFirstLine() {
        List<CellPart> parts = CellPart.parse("int a = 1;\n%time a + 1\nint b = 2;\nb", code -> true);
        assertEquals(List.of(new CellPart.Code("int a = 1;", 1), new CellPart.LineMagic("time", "a + 1", 2),
                new CellPart.Code("int b = 2;\nb", 3)), parts);
    }

    @Test
    void aPercentLineAfterUnfinishedCodeStaysJava() {
        String cell = "int r = 7\n%mod\n;";
        List<CellPart> parts = CellPart.parse(cell, code -> code.strip().endsWith(";"));
        assertEquals(List.of(new CellPart.Code(cell, 1)), parts);
    }

    @Test
    void anIndentedPercentLineIsNotAMagic() {
        String cell = "int r = 7\n    %mod;";
        assertEquals(List.of(new CellPart.Code(cell, 1)), CellPart.parse(cell, code -> true));
    }

    @Test
    void aCellMagicTakesTheRestOfTheCellAndKnowsWhereItsBodyStarts() {
        List<CellPart> parts = CellPart.parse("\n%%shell -x\necho a\necho b", code -> true);
        assertEquals(List.of(new CellPart.CellMagic("shell", "-x", "echo a\necho b", 3)), parts);
    }
}
