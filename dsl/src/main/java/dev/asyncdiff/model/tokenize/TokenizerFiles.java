package dev.asyncdiff.model.tokenize;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tokenizer folder as transformers reads it: the whole tokenizer from tokenizer.json or, for a CLIP tokenizer
 * stored as vocab.json and merges.txt, assembled from those ({@link ClipBpeJson}); the special tokens named by
 * tokenizer_config.json or, failing that, special_tokens_map.json. A token's id is looked up as transformers'
 * convert_tokens_to_ids does, in the added tokens and then the model's vocabulary (not by encoding the token's text,
 * which for CLIP would add the end-of-word mark: "!" is id 0, "!</w>" id 256).
 *
 * @param source   the file or files the tokenizer came from, for messages
 * @param padToken the token the pipelines pad with
 */
record TokenizerFiles(String source, JsonObject tokenizer, String padToken) {
    static final String TOKENIZER = "tokenizer.json";
    static final String CONFIG = "tokenizer_config.json";
    static final String SPECIAL_TOKENS = "special_tokens_map.json";

    /**
     * @param defaultPad the pad token of the tokenizer class the model was published with, used when neither config
     *                   file names one (transformers' BertTokenizer pads with "[PAD]", and bert-base-uncased's
     *                   tokenizer_config.json names no pad token); null when the class has none to offer
     */
    static TokenizerFiles read(Path dir, String defaultPad) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a folder");
        }
        String pad = token(dir, "pad_token", defaultPad);
        if (pad == null) {
            throw new IllegalArgumentException(dir + ": neither " + CONFIG + " nor " + SPECIAL_TOKENS
                    + " names a \"pad_token\"");
        }
        Path json = dir.resolve(TOKENIZER);
        if (Files.isRegularFile(json)) {
            return new TokenizerFiles(json.toString(), object(json), pad);
        }
        if (ClipBpeJson.present(dir)) {
            try {
                JsonObject assembled = ClipBpeJson.assemble(dir, token(dir, "bos_token", "<|startoftext|>"),
                        token(dir, "eos_token", "<|endoftext|>"), token(dir, "unk_token", null));
                return new TokenizerFiles(dir.resolve(ClipBpeJson.VOCAB) + " and " + ClipBpeJson.MERGES, assembled,
                        pad);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(dir + ": cannot read " + ClipBpeJson.VOCAB + " and "
                        + ClipBpeJson.MERGES + " as a CLIP tokenizer: " + e.getMessage());
            }
        }
        throw new IllegalArgumentException(dir + " has neither " + TOKENIZER + " nor a CLIP tokenizer's "
                + ClipBpeJson.VOCAB + " and " + ClipBpeJson.MERGES);
    }

    /** The id of a token: an added token's, else the vocabulary's (BPE: token → id; Unigram: its index). */
    long idOf(String token) {
        for (JsonElement e : array(tokenizer, "added_tokens")) {
            JsonObject added = e.getAsJsonObject();
            if (added.get("content").getAsString().equals(token)) {
                return added.get("id").getAsLong();
            }
        }
        JsonObject model = tokenizer.has("model") ? tokenizer.getAsJsonObject("model") : new JsonObject();
        JsonElement vocab = model.get("vocab");
        if (vocab != null && vocab.isJsonObject() && vocab.getAsJsonObject().has(token)) {
            return vocab.getAsJsonObject().get(token).getAsLong();
        }
        if (vocab != null && vocab.isJsonArray()) {
            JsonArray pieces = vocab.getAsJsonArray();
            for (int i = 0; i < pieces.size(); i++) {
                if (pieces.get(i).getAsJsonArray().get(0).getAsString().equals(token)) {
                    return i;
                }
            }
        }
        throw new IllegalArgumentException(source + " has no token \"" + token + "\" (the pad token its config "
                + "names)");
    }

    /** A special token from tokenizer_config.json, else special_tokens_map.json, else {@code fallback}. */
    private static String token(Path dir, String key, String fallback) {
        for (String file : new String[] {CONFIG, SPECIAL_TOKENS}) {
            Path f = dir.resolve(file);
            JsonElement t = Files.isRegularFile(f) ? object(f).get(key) : null;
            if (t != null && !t.isJsonNull()) {
                // a plain string, or an AddedToken object holding it as its content
                return t.isJsonObject() ? t.getAsJsonObject().get("content").getAsString() : t.getAsString();
            }
        }
        return fallback;
    }

    private static JsonArray array(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonArray() ? e.getAsJsonArray() : new JsonArray();
    }

    private static JsonObject object(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a JSON object");
        }
    }
}
