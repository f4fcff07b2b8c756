package dev.asyncdiff.data;

/**
 * Where a prompt set comes from: a dataset file of the repository's {@code datasets/} folder, or the embedded
 * world's prompt splits. {@link PromptSets#parse} reads the spec texts.
 */
public sealed interface PromptSource
        permits CocoPrompts, CompBenchPrompts, DrawBenchPrompts, GenEvalPrompts, AsynDmPrompts, WorldPrompts {

    /** The spec without a count, e.g. {@code coco:val}, which {@link PromptSets#parse} reads back. */
    String spec();

    /** Every prompt of the source, in the source's order. */
    PromptSet load();
}
