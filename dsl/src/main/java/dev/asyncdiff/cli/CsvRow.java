package dev.asyncdiff.cli;

import java.util.List;
import java.util.stream.Collectors;

/** One CSV line as RFC 4180 writes it: fields holding a comma, a quote or a line break are quoted, quotes doubled. */
final class CsvRow {
    private CsvRow() {
    }

    static String of(List<String> fields) {
        return fields.stream().map(CsvRow::field).collect(Collectors.joining(","));
    }

    static String field(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    /** A score as Java writes a double: enough digits to read back the same value; −0 is written as 0. */
    static String number(double v) {
        return Double.toString(v == 0 ? 0.0 : v);
    }
}
