package dev.asyncdiff.kernel;

import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Documentation;
import jdk.jshell.SourceCodeAnalysis.Suggestion;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Completion, inspection and completeness of cell code, from JShell's source analysis. Magic lines are blanked
 * (offsets kept) and the analysis sees only the snippet under the cursor.
 */
final class CodeInsight {
    /** A completion: replace [start, end) of the cell with one of the candidates. */
    record Completion(List<String> candidates, int start, int end) {
    }

    /** The snippet of a cell that contains a cursor: its text and where it starts in the cell. */
    private record Span(String text, int start) {
    }

    private final CellEvaluator cells;

    CodeInsight(CellEvaluator cells) {
        this.cells = cells;
    }

    Completion complete(String cell, int cursor) throws CellFailure {
        int lineStart = cell.lastIndexOf('\n', cursor - 1) + 1;
        String linePrefix = cell.substring(lineStart, cursor);
        if (linePrefix.matches("%%?\\w*")) {
            return completeMagic(linePrefix, lineStart, cursor);
        }
        return cells.withShell(shell -> {
            Span span = snippetAt(shell, withoutMagics(cell), cursor);
            int[] anchor = new int[1];
            List<Suggestion> suggestions = shell.sourceCodeAnalysis().completionSuggestions(span.text(),
                    cursor - span.start(), anchor);
            Set<String> candidates = new LinkedHashSet<>();
            suggestions.stream().filter(Suggestion::matchesType).forEach(s -> candidates.add(s.continuation()));
            suggestions.forEach(s -> candidates.add(s.continuation()));
            return new Completion(new ArrayList<>(candidates), span.start() + anchor[0], cursor);
        });
    }

    private Completion completeMagic(String prefix, int lineStart, int cursor) {
        List<String> out = new ArrayList<>();
        Magics magics = cells.magics();
        if (prefix.startsWith("%%") || prefix.equals("%")) {
            magics.cellNames().forEach(n -> out.add("%%" + n));
        }
        if (!prefix.startsWith("%%")) {
            magics.lineNames().forEach(n -> out.add("%" + n));
        }
        out.removeIf(c -> !c.startsWith(prefix));
        return new Completion(out, lineStart, cursor);
    }

    /** Signatures (and the type of the expression) at the cursor, or null when there is nothing to say. */
    String inspect(String cell, int cursor, boolean detail) throws CellFailure {
        return cells.withShell(shell -> {
            Span span = snippetAt(shell, withoutMagics(cell), cursor);
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            int at = cursor - span.start();
            List<String> lines = new ArrayList<>();
            for (Documentation d : analysis.documentation(span.text(), at, detail)) {
                lines.add(d.signature());
                if (detail && d.javadoc() != null && !d.javadoc().isBlank()) {
                    lines.add(d.javadoc());
                }
            }
            if (lines.isEmpty()) {
                int end = identifierEnd(span.text(), at);
                String type = analysis.analyzeType(span.text().substring(0, end), end);
                if (type != null && !type.isBlank()) {
                    lines.add(span.text().substring(expressionStart(span.text(), end), end).trim() + " : " + type);
                }
            }
            return lines.isEmpty() ? null : String.join("\n", lines);
        });
    }

    /**
     * The kernel's answer to is_complete_request: "complete", "invalid", "unknown" or, for code that needs more
     * lines, the indent of the next line.
     */
    String isComplete(String cell) throws CellFailure {
        if (!CellPart.parse(cell, c -> true).stream().allMatch(p -> p instanceof CellPart.Code)) {
            return cell.strip().startsWith("%%") ? "complete" : isComplete(withoutMagics(cell));
        }
        return cells.withShell(shell -> {
            String remaining = cell;
            while (!remaining.isBlank()) {
                CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(remaining);
                switch (info.completeness()) {
                    case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE:
                        return "    ";
                    case UNKNOWN:
                        return "invalid";
                    case EMPTY:
                        return "complete";
                    default:
                        break;
                }
                if (info.remaining().length() >= remaining.length()) {
                    break;
                }
                remaining = info.remaining();
            }
            return "complete";
        });
    }

    /** The snippet containing the cursor (the rest of the cell from the last complete snippet before it). */
    private static Span snippetAt(JShell shell, String cell, int cursor) {
        int start = 0;
        String remaining = cell;
        while (true) {
            CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(remaining);
            int consumed = remaining.length() - info.remaining().length();
            boolean complete = info.completeness().isComplete();
            if (!complete || consumed <= 0 || info.remaining().isBlank()) {
                return new Span(cell.substring(start), start);
            }
            if (start + consumed >= cursor) {
                return new Span(cell.substring(start, start + consumed), start);
            }
            start += consumed;
            remaining = info.remaining();
        }
    }

    /** The cell with its magic lines blanked, so that offsets still match. */
    static String withoutMagics(String cell) {
        StringBuilder out = new StringBuilder(cell.length());
        for (String line : cell.split("\n", -1)) {
            Matcher m = CellPart.LINE_MAGIC.matcher(line);
            out.append(m.matches() || line.strip().startsWith("%%") ? " ".repeat(line.length()) : line).append('\n');
        }
        return out.substring(0, cell.length());
    }

    private static int identifierEnd(String s, int at) {
        int i = Math.min(at, s.length());
        while (i < s.length() && Character.isJavaIdentifierPart(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int expressionStart(String s, int end) {
        int i = end;
        while (i > 0 && (Character.isJavaIdentifierPart(s.charAt(i - 1)) || s.charAt(i - 1) == '.')) {
            i--;
        }
        return i;
    }
}
