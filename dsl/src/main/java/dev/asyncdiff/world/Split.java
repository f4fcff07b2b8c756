package dev.asyncdiff.world;

/** The prompt splits: training, validation, and validation on held-out attribute–shape bindings. */
public enum Split {
    TRAIN("train"),
    VAL("val"),
    VAL_UNSEEN("val_unseen");

    private final String label;

    Split(String label) {
        this.label = label;
    }

    /** The split's name in reports and file names. */
    public String label() {
        return label;
    }
}
