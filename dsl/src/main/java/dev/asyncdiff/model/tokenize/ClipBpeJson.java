package dev.asyncdiff.model.tokenize;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tokenizer.json of a CLIP tokenizer that is stored the older way, as vocab.json and merges.txt, assembled as
 * transformers' CLIPConverter assembles the fast tokenizer: NFC, whitespace runs to one space and lower case; words,
 * single digits and runs of other symbols split off (contractions first), then byte-level characters; BPE with the
 * end-of-word mark {@code </w>}; start and end tokens around each text.
 */
final class ClipBpeJson {
    static final String VOCAB = "vocab.json";
    static final String MERGES = "merges.txt";
    /** CLIPTokenizer reads at most this many merges (after the version line): 49152 − 256 − 2. */
    static final int MAX_MERGES = 49152 - 256 - 2;
    static final String SPLIT = "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

    private ClipBpeJson() {
    }

    static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve(VOCAB)) && Files.isRegularFile(dir.resolve(MERGES));
    }

    /** @param bos start token, @param eos end token (also the unknown token's stand-in when unk is null) */
    static JsonObject assemble(Path dir, String bos, String eos, String unk) throws IOException {
        JsonObject vocab = JsonParser.parseString(Files.readString(dir.resolve(VOCAB))).getAsJsonObject();
        List<String> lines = Files.readAllLines(dir.resolve(MERGES));
        JsonArray merges = new JsonArray();
        for (String line : lines.subList(lines.isEmpty() || !lines.get(0).startsWith("#version") ? 0 : 1,
                lines.size())) {
            if (!line.isBlank() && merges.size() < MAX_MERGES) {
                merges.add(line);
            }
        }
        JsonObject json = new JsonObject();
        json.addProperty("version", "1.0");
        json.add("added_tokens", array(special(vocab, bos), special(vocab, eos)));
        json.add("normalizer", sequence("normalizers", object("type", "NFC"),
                replace(object("Regex", "\\s+"), " "), object("type", "Lowercase")));
        JsonObject split = object("type", "Split");
        split.add("pattern", object("Regex", SPLIT));
        split.addProperty("behavior", "Removed");
        split.addProperty("invert", true);
        json.add("pre_tokenizer", sequence("pretokenizers", split, byteLevel()));
        JsonObject post = object("type", "RobertaProcessing");
        post.add("sep", array(eos, id(vocab, eos)));
        post.add("cls", array(bos, id(vocab, bos)));
        post.addProperty("trim_offsets", false);
        post.addProperty("add_prefix_space", false);
        json.add("post_processor", post);
        json.add("decoder", byteLevel());
        JsonObject model = object("type", "BPE");
        model.addProperty("continuing_subword_prefix", "");
        model.addProperty("end_of_word_suffix", "</w>");
        model.addProperty("fuse_unk", false);
        model.addProperty("unk_token", unk == null ? eos : unk);
        model.add("vocab", vocab);
        model.add("merges", merges);
        json.add("model", model);
        return json;
    }

    private static JsonObject special(JsonObject vocab, String token) {
        JsonObject t = object("content", token);
        t.addProperty("id", id(vocab, token));
        t.addProperty("single_word", false);
        t.addProperty("lstrip", false);
        t.addProperty("rstrip", false);
        t.addProperty("normalized", false);
        t.addProperty("special", true);
        return t;
    }

    private static long id(JsonObject vocab, String token) {
        JsonElement id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException(VOCAB + " has no token \"" + token + "\"");
        }
        return id.getAsLong();
    }

    private static JsonObject byteLevel() {
        JsonObject b = object("type", "ByteLevel");
        b.addProperty("add_prefix_space", false);
        b.addProperty("trim_offsets", true);
        b.addProperty("use_regex", true);
        return b;
    }

    private static JsonObject replace(JsonObject pattern, String content) {
        JsonObject r = object("type", "Replace");
        r.add("pattern", pattern);
        r.addProperty("content", content);
        return r;
    }

    private static JsonObject sequence(String key, JsonObject... parts) {
        JsonObject s = object("type", "Sequence");
        s.add(key, array((Object[]) parts));
        return s;
    }

    private static JsonArray array(Object... items) {
        JsonArray a = new JsonArray();
        for (Object o : items) {
            if (o instanceof JsonElement e) {
                a.add(e);
            } else if (o instanceof Number n) {
                a.add(n);
            } else {
                a.add(o.toString());
            }
        }
        return a;
    }

    private static JsonObject object(String key, String value) {
        JsonObject o = new JsonObject();
        o.addProperty(key, value);
        return o;
    }
}
