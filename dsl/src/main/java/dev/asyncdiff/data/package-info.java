/**
 * Prompt sets (DESIGN.md §5): MS-COCO 2014 captions, T2I-CompBench, DrawBench, GenEval, AsynDM's sets and the
 * embedded world's splits, each named by one spec string ({@link dev.asyncdiff.data.PromptSets}) that the DSL and
 * the CLI share. The dataset files are the repository's {@code datasets/} folder, packed into the jar by the build
 * (see {@code datasets/SOURCES.md} for their origins and licenses).
 */
package dev.asyncdiff.data;
