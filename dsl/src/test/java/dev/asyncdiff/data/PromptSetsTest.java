package dev.asyncdiff.data;

import com.google.gson.JsonParser;
import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.Category;
import dev.asyncdiff.world.Split;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prompt sets against the repository's dataset files, read here straight from {@code datasets/} (the loader reads
 * the copies the build packs into the jar), and against the sizes the benchmarks publish.
 */
class PromptSetsTest {
    static final Path DATASETS = Path.of(System.getProperty("basedir", ".")).resolve("../datasets").normalize();

    static List<String> lines(String file) throws IOException {
        return Files.readAllLines(DATASETS.resolve(file));
    }

    /** The last tab-separated column of a file's rows, header skipped. */
    static List<String> lastColumn(String file) throws IOException {
        return lines(file).stream().skip(1).map(l -> l.substring(l.lastIndexOf('\t') + 1)).toList();
    }

    @Nested
    class EachSetHoldsItsFilesPrompts {
        static Stream<String> compBenchSpecs() {
            return CompBenchPrompts.CATEGORIES.stream().flatMap(c -> Stream.of(c + ":train", c + ":val"));
        }

        @ParameterizedTest(name = "compbench:{0}")
        @MethodSource("compBenchSpecs")
        void compBenchHas700TrainOr300ValPromptsPerCategoryAsPublished(String categoryAndPart) throws IOException {
            PromptSet set = PromptSets.load("compbench:" + categoryAndPart);
            String part = categoryAndPart.substring(categoryAndPart.indexOf(':') + 1);
            assertEquals(part.equals("train") ? 700 : 300, set.size());
            assertEquals(lines("t2i-compbench/" + categoryAndPart.replace(':', '_') + ".txt"), set.prompts());
        }

        @Test
        void compBenchAllIsTheEightCategoriesInTurn() throws IOException {
            PromptSet set = PromptSets.load("compbench:all:val");
            java.util.List<String> expected = new java.util.ArrayList<>();
            for (String c : java.util.List.of("color", "shape", "texture", "spatial", "non_spatial", "complex",
                    "numeracy", "3d_spatial")) {
                expected.addAll(lines("t2i-compbench/" + c + "_val.txt"));
            }
            assertEquals(2400, set.size());
            assertEquals(expected, set.prompts());
        }

        @Test
        void drawBenchHasItsTwoHundredPrompts() throws IOException {
            PromptSet set = PromptSets.load("drawbench");
            assertEquals(200, set.size());
            assertEquals(lastColumn("drawbench/drawbench.tsv"), set.prompts());
        }

        @Test
        void genEvalHasIts553Prompts() throws IOException {
            PromptSet set = PromptSets.load("geneval");
            assertEquals(553, set.size());
            assertEquals(lines("geneval/generation_prompts.txt"), set.prompts());
        }

        @ParameterizedTest(name = "asyndm:{0}")
        @ValueSource(strings = {"animal", "drawbench", "geneval", "mscoco"})
        void eachAsynDmSetHasItsFortyPromptsTrailingSpacesKept(String name) throws IOException {
            PromptSet set = PromptSets.load("asyndm:" + name);
            List<String> expected = lines("asyndm/" + name + ".jsonl").stream()
                    .map(l -> JsonParser.parseString(l).getAsJsonObject().get("prompt").getAsString()).toList();
            assertEquals(40, set.size());
            assertEquals(expected, set.prompts());
        }

        @Test
        void theAsynDmCocoSetKeepsItsTrailingSpaces() throws IOException {
            assertTrue(PromptSets.load("asyndm:mscoco").prompts().stream().anyMatch(p -> p.endsWith(" ")));
        }

        @ParameterizedTest(name = "shapes:{0}")
        @CsvSource({"colour:train, 700", "numeracy:val, 300", "complex:val_unseen, 300", "all:train, 4200",
                "all:val, 1800", "all:val_unseen, 1800"})
        void theWorldsSetsHaveTheSplitsSizesAndTheirCaptions(String spec, int size) {
            PromptSet set = PromptSets.load("shapes:" + spec);
            assertEquals(size, set.size());
            assertEquals(set.prompts(), set.captions().stream().map(Caption::text).toList());
        }

        @Test
        void allCategoriesListTheCategoriesInTurnWithTheirCaptionsCategories() {
            PromptSet all = PromptSets.load("shapes:all:val");
            List<Category> expected = Arrays.stream(Category.values())
                    .flatMap(c -> java.util.Collections.nCopies(300, c).stream()).toList();
            assertEquals(expected, all.captions().stream().map(Caption::category).toList());
            assertEquals(PromptSets.load("shapes:texture:val").prompts(), all.prompts().subList(600, 900));
        }

        @Test
        void otherSetsHaveNoWorldCaptions() {
            assertTrue(PromptSets.load("geneval").captions().isEmpty());
        }

        @Test
        void theWorldFormNamesEveryCategoryAndSplit() {
            String expected = "shapes:" + Arrays.stream(Category.values()).map(Category::label)
                    .collect(Collectors.joining("|")) + "|all:" + Arrays.stream(Split.values()).map(Split::label)
                    .collect(Collectors.joining("|"));
            assertEquals(expected, WorldPrompts.FORM);
        }
    }

    @Nested
    class Coco {
        static final String POOL = "coco2014/val2014_coco30k.tsv";

        /** The documented rule, written out again: forward Fisher–Yates over the rows with new Random(42). */
        static List<String> shuffledPool() throws IOException {
            List<String> rows = new ArrayList<>(lastColumn(POOL));
            Random random = new Random(42);
            for (int i = 0; i < rows.size() - 1; i++) {
                java.util.Collections.swap(rows, i, i + random.nextInt(rows.size() - i));
            }
            return rows;
        }

        @Test
        void thePoolHasThirtyThousandCaptions() throws IOException {
            assertEquals(30_000, lastColumn(POOL).size());
        }

        @Test
        void theEvaluationSetIsTheFirst2048RowsOfAForwardFisherYatesShuffleWithSeed42() throws IOException {
            assertEquals(shuffledPool().subList(0, 2048), PromptSets.load("coco:val").prompts());
            assertEquals(PromptSets.load("coco:val").prompts(), PromptSets.load("coco:val:2048").prompts());
        }

        @Test
        void theTrainingSetIsTheRestOfThePoolLessEveryRowWhoseCaptionIsEvaluated() throws IOException {
            List<String> shuffled = shuffledPool();
            Set<String> evaluated = new HashSet<>(shuffled.subList(0, 2048));
            List<String> expected = shuffled.subList(2048, shuffled.size()).stream()
                    .filter(c -> !evaluated.contains(c)).toList();
            assertEquals(expected, PromptSets.load("coco:train").prompts());
        }

        @Test
        void evaluationAndTrainingShareNoCaptionAndWithTheDroppedRowsMakeUpThePool() throws IOException {
            List<String> val = PromptSets.load("coco:val").prompts();
            List<String> train = PromptSets.load("coco:train").prompts();
            Set<String> valTexts = new HashSet<>(val);
            assertTrue(train.stream().noneMatch(valTexts::contains));
            Map<String, Long> pool = counts(lastColumn(POOL));
            Map<String, Long> loaded = counts(Stream.concat(val.stream(), train.stream()).toList());
            Map<String, Long> missing = new HashMap<>(pool);
            loaded.forEach((caption, n) -> missing.merge(caption, -n, Long::sum));
            missing.values().removeIf(n -> n == 0);
            assertTrue(missing.values().stream().allMatch(n -> n > 0), "nothing loaded that the pool lacks");
            assertTrue(valTexts.containsAll(missing.keySet()), "only evaluated captions are left out of training");
            assertEquals(30_000, val.size() + train.size() + missing.values().stream().mapToLong(n -> n).sum());
        }

        @Test
        void theFirstNEvaluationCaptionsAreAPrefixOfTheSample() {
            assertEquals(PromptSets.load("coco:val").prompts().subList(0, 5), PromptSets.load("coco:val:5").prompts());
        }

        private static Map<String, Long> counts(List<String> captions) {
            return captions.stream().collect(Collectors.groupingBy(c -> c, Collectors.counting()));
        }
    }

    @Nested
    class Specs {
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"coco:val:2048", "coco:train", "coco:train:100", "compbench:3d_spatial:val",
                "drawbench", "drawbench:16", "geneval", "asyndm:animal", "shapes:colour:val:256",
                "shapes:all:val_unseen"})
        void aSpecReadsBackAsItIsWritten(String spec) {
            assertEquals(spec, PromptSets.parse(spec).text());
        }

        @Test
        void theFirstNPromptsEndTheSpecInN() {
            PromptSet set = PromptSets.load("drawbench").first(3);
            assertEquals("drawbench:3", set.spec().text());
            assertEquals(PromptSets.load("drawbench").prompts().subList(0, 3), set.prompts());
        }

        @ParameterizedTest(name = "[{0}]")
        @CsvSource(delimiter = '#', value = {
                "cocoo:val#unknown prompt set 'cocoo:val'#shapes:colour|shape|texture",
                "''#unknown prompt set ''#compbench:color|shape",
                "coco:test#unknown COCO part 'test'#use val",
                "compbench:colour:val#unknown T2I-CompBench category 'colour'#3d_spatial",
                "compbench:color:test#unknown T2I-CompBench split 'test'#train or val",
                "asyndm:cats#unknown AsynDM prompt set 'cats'#mscoco",
                "shapes:color:val#unknown world category 'color'#colour, shape",
                "shapes:all:test#unknown world split 'test'#val_unseen",
                "coco:val:0#N must be from 1 to 2048#the size of coco:val",
                "coco:val:-3#N must be from 1 to 2048#(got -3)",
                "coco:val:2049#N must be from 1 to 2048#(got 2049)",
                "drawbench:201#N must be from 1 to 200#the size of drawbench",
                "shapes:colour:val:512#N must be from 1 to 300#the size of shapes:colour:val",
                "coco:val:2048:x#bad prompt set#use coco:val|train[:N]",
                "coco:val:12abc#bad prompt set#use coco:val|train[:N]",
                "coco:val:#bad prompt set#use coco:val|train[:N]",
                "coco#bad prompt set#use coco:val|train[:N]",
                "drawbench:x#bad prompt set#use drawbench[:N]",
                "shapes:all#bad prompt set#use shapes:colour",
                "coco:val:99999999999#bad prompt set#use coco:val|train[:N]",
        })
        void aBadSpecIsOneLineSayingWhatIsWrongAndWhatIsAccepted(String spec, String what, String accepted) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PromptSets.load(spec));
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(e.getMessage().contains(what), e.getMessage());
            assertTrue(e.getMessage().contains(accepted), e.getMessage());
        }

        @Test
        void anEmptySetIsRefused() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new PromptSet(PromptSpec.of(new GenEvalPrompts()), "none", List.of(), List.of(), "nowhere"));
            assertTrue(e.getMessage().contains("geneval is empty"), e.getMessage());
        }

        @Test
        void aBlankPromptIsRefused() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new PromptSet(PromptSpec.of(new GenEvalPrompts()), "x", List.of("a cat", " "), List.of(),
                            "nowhere"));
            assertTrue(e.getMessage().contains("prompt 2 of geneval is blank"), e.getMessage());
        }
    }
}
