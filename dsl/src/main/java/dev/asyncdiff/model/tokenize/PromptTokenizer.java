package dev.asyncdiff.model.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.nn.NativeData;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A published tokenizer folder ({@code tokenizer/}, {@code tokenizer_2/}, …) read through Hugging Face's tokenizers
 * library (DJL's binding, offline, from the folder's own files only: never a hub name, which downloads), set up
 * as the SD3 and Flux pipelines call it: special tokens added, truncated to a maximum length (special tokens kept),
 * then padded to exactly that length with the tokenizer's own pad token from its config (the library itself would
 * pad with id 0).
 */
public final class PromptTokenizer implements AutoCloseable {
    /** CLIP's context: 77 positions (SD3 and Flux). */
    public static final int CLIP_LENGTH = 77;
    /** T5 tokens SD3 / SD3.5 pipelines encode (max_sequence_length 256). */
    public static final int T5_LENGTH_SD3 = 256;
    /** T5 tokens Flux.1-dev's pipeline encodes (max_sequence_length 512). */
    public static final int T5_LENGTH_FLUX = 512;

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final long padId;

    private PromptTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, long padId) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.padId = padId;
    }

    /**
     * Opens {@code dir/tokenizer.json} (or a CLIP tokenizer's vocab.json and merges.txt), padding with the pad token
     * that {@code dir}'s tokenizer_config.json (or special_tokens_map.json) names; an IllegalArgumentException saying
     * what is missing.
     */
    public static PromptTokenizer open(Path dir, int maxLength) {
        return open(dir, maxLength, null);
    }

    /**
     * Opens {@code dir} as {@link #open(Path, int)} does, padding with {@code defaultPad} where neither config file
     * names a pad token: the default of the tokenizer class the model was published with (BERT's "[PAD]").
     */
    public static PromptTokenizer open(Path dir, int maxLength, String defaultPad) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("a maximum length must leave room for the special tokens (got "
                    + maxLength + ")");
        }
        TokenizerFiles files = TokenizerFiles.read(dir, defaultPad);
        long padId = files.idOf(files.padToken());
        byte[] json = files.tokenizer().toString().getBytes(StandardCharsets.UTF_8);
        try (InputStream in = new ByteArrayInputStream(json)) {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(in,
                    Map.of("addSpecialTokens", "true", "truncation", "true", "padding", "false",
                            "maxLength", Integer.toString(maxLength)));
            return new PromptTokenizer(t, maxLength, padId);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(files.source() + " cannot be read as a Hugging Face tokenizer: "
                    + e.getMessage());
        }
    }

    public int maxLength() {
        return maxLength;
    }

    public long padId() {
        return padId;
    }

    /**
     * Each prompt's ids, padded with the pad id to {@link #maxLength()}; {@code lengths} counts the unpadded ones and
     * {@code pieces} holds the unpadded tokens' text.
     */
    public Tokens encode(List<String> prompts) {
        long[][] ids = new long[prompts.size()][];
        int[] lengths = new int[prompts.size()];
        List<List<String>> pieces = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            Encoding e = tokenizer.encode(prompts.get(i));
            long[] own = e.getIds();
            lengths[i] = own.length;
            ids[i] = Arrays.copyOf(own, maxLength);
            Arrays.fill(ids[i], own.length, maxLength, padId);
            pieces.add(List.of(e.getTokens()));
        }
        return new Tokens(ids, lengths, List.copyOf(pieces));
    }

    /** Token ids of a batch of prompts, each row padded to the same length, and each row's unpadded tokens. */
    public record Tokens(long[][] ids, int[] lengths, List<List<String>> pieces) {
        /** The ids as an INT64 array [prompts, length]. */
        public NDArray toArray(NDManager manager) {
            long[] flat = Arrays.stream(ids).flatMapToLong(Arrays::stream).toArray();
            return NativeData.of(manager, flat, new Shape(ids.length, ids.length == 0 ? 0 : ids[0].length));
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
