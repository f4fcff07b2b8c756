package dev.asyncdiff.world;

/** One stated requirement and whether the image meets it, e.g. "object 2 (of 'a blue square') is blue". */
public record Check(CheckKind kind, String description, boolean passed) {
}
