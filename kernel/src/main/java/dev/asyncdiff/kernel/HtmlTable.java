package dev.asyncdiff.kernel;

import java.util.ArrayList;
import java.util.List;

/** A small HTML table builder for rich display; every cell is escaped. */
final class HtmlTable {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    HtmlTable(String... headers) {
        this.headers = List.of(headers);
    }

    HtmlTable row(Object... cells) {
        List<String> row = new ArrayList<>(cells.length);
        for (Object c : cells) {
            row.add(String.valueOf(c));
        }
        rows.add(row);
        return this;
    }

    int rows() {
        return rows.size();
    }

    String html() {
        StringBuilder sb = new StringBuilder("<table>");
        if (!headers.isEmpty()) {
            sb.append("<thead><tr>");
            headers.forEach(h -> sb.append("<th>").append(escape(h)).append("</th>"));
            sb.append("</tr></thead>");
        }
        sb.append("<tbody>");
        for (List<String> row : rows) {
            sb.append("<tr>");
            row.forEach(c -> sb.append("<td>").append(escape(c)).append("</td>"));
            sb.append("</tr>");
        }
        return sb.append("</tbody></table>").toString();
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
