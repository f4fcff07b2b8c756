package dev.asyncdiff.io;

import java.util.List;
import java.util.stream.Collectors;

/** One CSV line as RFC 4180 writes it: fields holding a comma, a quote or a line break are quoted, quotes doubled. */
public final class CsvRow {
    private CsvRow() {
    }

    public static String of(List<String> fields) {
        return fields.stream().map(CsvRow::field).collect(Collectors.joining(","));
    }

    public static String field(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    /** The fields of one line written by {@link #of} (quoted fields unquoted, doubled quotes undoubled). */
    public static List<String> parse(String line) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        out.add(f.toString());
        return out;
    }

    /** A score as Java writes a double: enough digits to read back the same value; −0 is written as 0. */
    public static String number(double v) {
        return Double.toString(v == 0 ? 0.0 : v);
    }
}
