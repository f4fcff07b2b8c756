package dev.asyncdiff.kernel;

/**
 * What a cell evaluates to: nothing (declarations, statements, magics without output), or a value to display,
 * which may itself be null.
 */
record CellResult(boolean present, Object value) {
    static final CellResult NONE = new CellResult(false, null);

    static CellResult of(Object value) {
        return new CellResult(true, value);
    }
}
