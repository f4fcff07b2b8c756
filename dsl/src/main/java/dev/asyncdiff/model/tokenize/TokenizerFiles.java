package dev.asyncdiff.model.tokenize;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSON files of a tokenizer folder as transformers reads them: tokenizer.json (the whole tokenizer), and the pad
 * token named by tokenizer_config.json or, failing that, special_tokens_map.json. A token's id is looked up as
 * transformers' convert_tokens_to_ids does, in the added tokens and then the model's vocabulary (not by encoding the
 * token's text, which for CLIP would add the end-of-word mark: "!" is id 0, "!</w>" id 256).
 */
record TokenizerFiles(Path tokenizerJson, JsonObject tokenizer, String padToken) {
    static final String TOKENIZER = "tokenizer.json";
    static final String CONFIG = "tokenizer_config.json";
    static final String SPECIAL_TOKENS = "special_tokens_map.json";

    static TokenizerFiles read(Path dir) {
        Path json = dir.resolve(TOKENIZER);
        if (!Files.isRegularFile(json)) {
            throw new IllegalArgumentException(dir + " has no " + TOKENIZER + " (the tokenizer is read from that file "
                    + "only; transformers writes it with tokenizer.save_pretrained)");
        }
        JsonObject tokenizer = object(json);
        String pad = padToken(dir.resolve(CONFIG));
        if (pad == null) {
            pad = padToken(dir.resolve(SPECIAL_TOKENS));
        }
        if (pad == null) {
            throw new IllegalArgumentException(dir + ": neither " + CONFIG + " nor " + SPECIAL_TOKENS
                    + " names a \"pad_token\"");
        }
        return new TokenizerFiles(json, tokenizer, pad);
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
        throw new IllegalArgumentException(tokenizerJson + " has no token \"" + token + "\" (the pad token its "
                + "config names)");
    }

    /** pad_token of a config file: a string or an AddedToken object's content; null when absent. */
    private static String padToken(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonElement pad = object(file).get("pad_token");
        if (pad == null || pad.isJsonNull()) {
            return null;
        }
        return pad.isJsonObject() ? pad.getAsJsonObject().get("content").getAsString() : pad.getAsString();
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
