package dev.asyncdiff.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Reads prompt-set specs, for the DSL ({@code PromptSets.load("coco:val:2048")}) and the CLI alike:
 * <pre>
 * coco:val|train                          MS-COCO 2014 captions: the 2,048-caption evaluation sample, or the rest
 *                                         of the pool ({@link CocoPrompts})
 * compbench:CATEGORY:train|val            T2I-CompBench's official splits; CATEGORY is color, shape, texture,
 *                                         spatial, non_spatial, complex, numeracy, 3d_spatial, or all of them
 * drawbench, geneval                      DrawBench (200 prompts), GenEval (553)
 * asyndm:animal|drawbench|geneval|mscoco  AsynDM's 40-prompt sets
 * shapes:CATEGORY|all:train|val|val_unseen the embedded world's captions; CATEGORY is colour, shape, texture,
 *                                         spatial, numeracy or complex
 * </pre>
 * Any of them may end in {@code :N} for its first N prompts, 1 ≤ N ≤ its size.
 */
public final class PromptSets {
    /** Each kind's form; the number of ':'-separated parts after the kind is the number of words it takes. */
    private static final Map<String, String> FORMS = forms();
    /** Every accepted form, for messages. */
    public static final String CHOICES = CocoPrompts.FORM + ", " + CompBenchPrompts.FORM + ", "
            + DrawBenchPrompts.FORM + ", " + GenEvalPrompts.FORM + ", " + AsynDmPrompts.FORM + ", "
            + WorldPrompts.FORM + ", each optionally ending in :N (its first N prompts)";

    /** A trailing count. At most 9 digits, so that it fits an int; a longer number reads as an unexpected part. */
    private static final Pattern COUNT = Pattern.compile("-?\\d{1,9}");

    private PromptSets() {
    }

    /** The prompts a spec names. */
    public static PromptSet load(String spec) {
        return parse(spec).load();
    }

    /** Reads a spec; throws IllegalArgumentException naming what is wrong and what is accepted. */
    public static PromptSpec parse(String spec) {
        List<String> parts = new ArrayList<>(List.of(spec.strip().split(":", -1)));
        OptionalInt first = OptionalInt.empty();
        if (parts.size() > 1 && COUNT.matcher(parts.get(parts.size() - 1)).matches()) {
            first = OptionalInt.of(Integer.parseInt(parts.remove(parts.size() - 1)));
        }
        String kind = parts.get(0);
        List<String> words = parts.subList(1, parts.size());
        String form = FORMS.get(kind);
        if (form == null) {
            throw new IllegalArgumentException("unknown prompt set '" + spec + "'; use " + CHOICES);
        }
        if (words.size() != form.split(":").length - 1) {
            throw new IllegalArgumentException("bad prompt set '" + spec + "'; use " + form + "[:N]");
        }
        try {
            PromptSource source = switch (kind) {
                case "coco" -> new CocoPrompts(words.get(0));
                case "compbench" -> new CompBenchPrompts(words.get(0), words.get(1));
                case "drawbench" -> new DrawBenchPrompts();
                case "geneval" -> new GenEvalPrompts();
                case "asyndm" -> new AsynDmPrompts(words.get(0));
                case "shapes" -> WorldPrompts.of(words.get(0), words.get(1));
                default -> throw new IllegalStateException("no prompt source for the kind '" + kind + "'");
            };
            return new PromptSpec(source, first);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad prompt set '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static Map<String, String> forms() {
        Map<String, String> forms = new LinkedHashMap<>();
        for (String form : List.of(CocoPrompts.FORM, CompBenchPrompts.FORM, DrawBenchPrompts.FORM,
                GenEvalPrompts.FORM, AsynDmPrompts.FORM, WorldPrompts.FORM)) {
            forms.put(form.split(":")[0], form);
        }
        return Collections.unmodifiableMap(forms);
    }
}
