package dev.asyncdiff.model.tiny;

/**
 * The shipped weights, loaded once per JVM on first use and shared: pipelines are immutable values that may be
 * copied freely, so they share one model rather than each holding native memory of its own.
 */
public final class ShippedTinyModel {
    private ShippedTinyModel() {
    }

    private static final class Holder {
        static final TinyFlowModel MODEL = TinyFlowModel.load();
    }

    public static TinyFlowModel get() {
        return Holder.MODEL;
    }
}
