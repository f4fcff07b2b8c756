package dev.asyncdiff.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A piece of a cell: Java code, a line magic ({@code %name args} on a line of its own) or a cell magic
 * ({@code %%name args} on the first line, applying to the rest of the cell).
 */
sealed interface CellPart {
    Pattern LINE_MAGIC = Pattern.compile("^%([A-Za-z]\\w*)(?:[ \\t]+(.*))?$");
    Pattern CELL_MAGIC = Pattern.compile("^\\s*%%([A-Za-z]\\w*)(?:[ \\t]+(.*))?$");

    /** Java source; {@code firstLine} is the 1-based cell line its text starts on. */
    record Code(String text, int firstLine) implements CellPart {
    }

    record LineMagic(String name, String args, int line) implements CellPart {
    }

    /** {@code bodyFirstLine} is the 1-based cell line the body starts on. */
    record CellMagic(String name, String args, String body, int bodyFirstLine) implements CellPart {
    }

    /**
     * Splits a cell. A line is a line magic only where it starts in the first column and the code before it is
     * complete, so that a continuation line such as {@code % 3;} stays Java.
     *
     * @param complete whether a piece of Java code is complete (no open statement)
     */
    static List<CellPart> parse(String cell, Predicate<String> complete) {
        List<CellPart> parts = new ArrayList<>();
        String[] lines = cell.split("\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first < lines.length) {
            Matcher m = CELL_MAGIC.matcher(lines[first]);
            if (m.matches()) {
                String body = String.join("\n", List.of(lines).subList(first + 1, lines.length));
                parts.add(new CellMagic(m.group(1), argsOf(m), body, first + 2));
                return parts;
            }
        }
        StringBuilder code = new StringBuilder();
        int codeStart = 1;
        for (int i = 0; i < lines.length; i++) {
            Matcher m = LINE_MAGIC.matcher(lines[i]);
            if (m.matches() && (code.toString().isBlank() || complete.test(code.toString()))) {
                if (!code.toString().isBlank()) {
                    parts.add(new Code(code.toString(), codeStart));
                }
                parts.add(new LineMagic(m.group(1), argsOf(m), i + 1));
                code.setLength(0);
                codeStart = i + 2;
            } else {
                if (i > codeStart - 1) {
                    code.append('\n');
                }
                code.append(lines[i]);
            }
        }
        if (!code.toString().isBlank()) {
            parts.add(new Code(code.toString(), codeStart));
        }
        return parts;
    }

    private static String argsOf(Matcher m) {
        return m.group(2) == null ? "" : m.group(2).trim();
    }
}
