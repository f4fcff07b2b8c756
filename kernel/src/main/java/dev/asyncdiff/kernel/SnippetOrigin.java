package dev.asyncdiff.kernel;

/**
 * Where a JShell snippet came from, so that stack frames and compiler messages can point at a line of a cell.
 *
 * @param source    the cell ("cell [3]") or file the snippet was read from
 * @param firstLine the 1-based line of that source on which the snippet starts
 */
record SnippetOrigin(String source, int firstLine) {

    /** The source line of a 1-based line inside the snippet. */
    int line(int snippetLine) {
        return firstLine + Math.max(snippetLine, 1) - 1;
    }
}
