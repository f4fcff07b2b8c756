package dev.asyncdiff.kernel;

/** Where {@code display} and {@code updateDisplay} send values: the Jupyter front end, or the console in scripts. */
interface DisplaySink {
    /** Shows a value and returns the id by which it can be replaced. */
    String display(Object value);

    /** Replaces the output shown under this id. */
    void update(String id, Object value);

    /** Whether updates replace earlier output in place (a notebook) rather than being dropped (a console). */
    boolean live();
}
