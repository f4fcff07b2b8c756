package dev.asyncdiff.world;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The category of a prompt that is a caption of the world's standard splits (train, val and val_unseen of every
 * category), found by its text; empty for any other prompt, such as a COCO caption. A text that two categories share
 * gets the first in {@link Category}'s order. The table is built once, on first use.
 */
public final class CaptionCategories {
    private CaptionCategories() {
    }

    private static final class Table {
        static final Map<String, Category> BY_TEXT = build();

        private static Map<String, Category> build() {
            PromptSplits splits = PromptSplits.standard();
            Map<String, Category> byText = new HashMap<>();
            for (Category c : Category.values()) {
                for (Split s : Split.values()) {
                    splits.get(s, c).forEach(caption -> byText.putIfAbsent(caption.text(), c));
                }
            }
            return byText;
        }
    }

    public static Optional<Category> of(String prompt) {
        return Optional.ofNullable(Table.BY_TEXT.get(prompt.strip()));
    }
}
