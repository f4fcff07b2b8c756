package dev.asyncdiff.model;

/**
 * A conditioning that holds the prompt as token states, for modules that read the text condition besides the
 * denoiser (the TPM of Eq. 7): per sample, {@link #tokenCount()} tokens of {@link #tokenWidth()} values (row-major)
 * and a mask marking the valid ones.
 */
public interface TextTokens extends Conditioning {
    /** Token states per sample, [L·C] row-major. */
    float[][] tokens();

    /** 1 for a valid token, 0 for padding, [L] per sample. */
    float[][] mask();

    int tokenCount();

    int tokenWidth();
}
