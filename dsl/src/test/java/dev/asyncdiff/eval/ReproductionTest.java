package dev.asyncdiff.eval;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The paper's settings behind each artefact, and the choice of artefacts by name. */
class ReproductionTest {
    private static Map<String, PlannedEvaluation> plans(boolean quick) {
        return Reproduction.plan("tiny", quick, Arrays.asList(Artefact.values()), false).stream()
                .collect(Collectors.toMap(PlannedEvaluation::name, p -> p));
    }

    /** The deviation a fixed stand-in realises: D under the bounded rule, 2D under the lifted one (Eq. 10–13). */
    private static double realisedDeviation(Method m) {
        return m.fixedDeviation().orElseThrow() * m.bound().scale;
    }

    @Nested
    class TheTables {
        @ParameterizedTest(name = "{0}: {1} steps, stand-ins at +{2} (0.5 + r) and +{3} (2r)")
        @CsvSource({"table1-coco, 15, 0.192, 0.398", "table1-compbench, 15, 0.231, 0.106",
                "table2-coco, 10, 0.499, 0.959", "table2-compbench, 10, 0.499, 0.640"})
        void runAtThePapersStepCountsWithStandInsAtItsMeanDeviations(String name, int steps, double bounded,
                                                                       double lifted) {
            PlannedEvaluation p = plans(false).get(name);
            assertEquals(List.of(steps), p.steps());
            assertEquals("sync", p.methods().get(0).spec(), "sync is the baseline of the paired differences");
            assertEquals(bounded, realisedDeviation(p.methods().get(1)), 1e-12);
            assertEquals(lifted, realisedDeviation(p.methods().get(2)), 1e-12);
            assertTrue(p.note().contains("stands in"), p.note());
        }

        @Test
        void useTheWholeValSetsAndTheirFirstPromptsInQuickMode() {
            assertEquals("shapes:all:val", plans(false).get("table1-coco").prompts());
            assertEquals("shapes:all:val_unseen", plans(false).get("table2-compbench").prompts());
            assertEquals("shapes:all:val_unseen:" + Reproduction.QUICK_PROMPTS,
                    plans(true).get("table2-compbench").prompts());
            assertEquals("shapes:all:val:" + Reproduction.FIGURE_PROMPTS, plans(false).get("gamma").prompts());
        }
    }

    @Test
    void theGammaFigureScalesOnePolicyByHalfOneAndTwoBesideSyncAndTheLiftedBound() {
        PlannedEvaluation p = plans(false).get("gamma");
        assertEquals(List.of("sync", "fixed:0.192:gamma=0.5", "fixed:0.192", "fixed:0.192:gamma=2",
                "fixed:0.199:lifted"), p.methods().stream().map(Method::spec).toList());
        assertEquals(List.of(Artefact.FIG2, Artefact.FIG5), List.copyOf(p.files().keySet()));
    }

    @Test
    void onlyTheEvaluationsAnArtefactNeedsArePlanned() {
        assertEquals(List.of("gamma"), Reproduction.plan("tiny", true, List.of(Artefact.FIG5), false).stream()
                .map(PlannedEvaluation::name).toList());
        assertEquals(List.of("table1-coco", "table1-compbench", "deviations"), Reproduction.plan("tiny", true,
                List.of(Artefact.FIG4, Artefact.TABLE1), false).stream().map(PlannedEvaluation::name).toList());
    }

    /** Runs once this build ships both TPMs (a tpm:shipped method loads its TPM); skipped, and says so, until then. */
    @Test
    void withBothTpmsShippedTheyFillEveryLearnedPolicyRowOnTheTinyBackbone() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ShippedTpmRows.available(),
                "this build ships no trained TPMs yet (training/tpm.sh): the plan uses the stand-ins");
        Map<String, PlannedEvaluation> plans = Reproduction.plan("tiny", false, Arrays.asList(Artefact.values()),
                true).stream().collect(Collectors.toMap(PlannedEvaluation::name, p -> p));
        for (String table : List.of("table1-coco", "table1-compbench", "table2-coco", "table2-compbench")) {
            assertEquals(List.of("sync", "tpm:shipped", "tpm:shipped-lifted"),
                    plans.get(table).methods().stream().map(Method::spec).toList(), table);
            assertTrue(plans.get(table).note().contains("shipped TPMs"), plans.get(table).note());
        }
        assertEquals(List.of("sync", "tpm:shipped:gamma=0.5", "tpm:shipped", "tpm:shipped:gamma=2",
                "tpm:shipped-lifted"), plans.get("gamma").methods().stream().map(Method::spec).toList());
        assertEquals(List.of("sync", "tpm:shipped", "tpm:shipped-lifted"),
                plans.get("deviations").methods().stream().map(Method::spec).toList());
        assertEquals(List.of("sync", "tpm:shipped", "tpm:shipped:velocity-scale"),
                plans.get("velocity").methods().stream().map(Method::spec).toList());
    }

    @Nested
    class RealBackbones {
        private Map<String, PlannedEvaluation> real(String backbone) {
            return Reproduction.plan(backbone, false, Arrays.asList(Artefact.values()), true).stream()
                    .collect(Collectors.toMap(PlannedEvaluation::name, p -> p));
        }

        @ParameterizedTest(name = "{0}: {1} steps")
        @CsvSource({"sd35, 15, table1, 0.192, 0.398, 0.231, 0.106", "flux, 10, table2, 0.499, 0.959, 0.499, 0.640"})
        void eachMakesItsOwnTableOnTheRealPromptSetsAndTheFiguresAtItsStepCount(String backbone, int steps,
                String table, double cocoBounded, double cocoLifted, double compBounded, double compLifted) {
            Map<String, PlannedEvaluation> plans = real(backbone);
            assertEquals(java.util.Set.of(table + "-coco", table + "-compbench", "gamma", "deviations", "velocity"),
                    plans.keySet());
            PlannedEvaluation coco = plans.get(table + "-coco");
            assertEquals("coco:val", coco.prompts());
            assertEquals("compbench:all:val", plans.get(table + "-compbench").prompts());
            assertEquals(cocoBounded, realisedDeviation(coco.methods().get(1)), 1e-12);
            assertEquals(cocoLifted, realisedDeviation(coco.methods().get(2)), 1e-12);
            assertEquals(compBounded, realisedDeviation(plans.get(table + "-compbench").methods().get(1)), 1e-12);
            assertEquals(compLifted, realisedDeviation(plans.get(table + "-compbench").methods().get(2)), 1e-12);
            assertTrue(!coco.title().contains("standing in for"), coco.title());
            assertTrue(coco.note().contains("stands in"), "no TPM is trained for a real backbone: " + coco.note());
            for (String figure : List.of("gamma", "deviations", "velocity")) {
                assertEquals(List.of(steps), plans.get(figure).steps(), figure);
                assertEquals("coco:val:" + Reproduction.FIGURE_PROMPTS, plans.get(figure).prompts(), figure);
            }
            assertEquals(List.of(steps == 15 ? Artefact.FIG3 : Artefact.FIG4),
                    List.copyOf(plans.get("deviations").files().keySet()));
        }

        @Test
        void aNotebookSwitchedByOneVariableAsksForWhatThatBackboneMakes() {
            List<Artefact> tables = List.of(Artefact.TABLE1, Artefact.TABLE2);
            List<Artefact> figures = List.of(Artefact.FIG2, Artefact.FIG3, Artefact.FIG4, Artefact.FIG5, Artefact.FIG6);
            assertEquals(tables, Reproduction.madeOn("tiny", tables));
            assertEquals(List.of(Artefact.TABLE1), Reproduction.madeOn("sd35", tables));
            assertEquals(List.of(Artefact.TABLE2), Reproduction.madeOn("flux", tables));
            assertEquals(List.of(Artefact.FIG2, Artefact.FIG3, Artefact.FIG5, Artefact.FIG6),
                    Reproduction.madeOn("sd35", figures));
            assertEquals(List.of(Artefact.FIG2, Artefact.FIG4, Artefact.FIG5, Artefact.FIG6),
                    Reproduction.madeOn("flux", figures));
        }

        @Test
        void anArtefactAnotherBackboneMakesIsRefusedNamingWhichDoes() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Reproduction.plan("sd35", false, List.of(Artefact.TABLE2)));
            assertTrue(e.getMessage().contains("Table 2 is Flux.1-dev's (--backbone flux)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> Reproduction.plan("flux", false, List.of(Artefact.FIG2, Artefact.ASYNDM)));
            assertTrue(e.getMessage().contains("the AsynDM and solver comparisons run on --backbone tiny; "
                    + "--backbone flux makes table2, fig2, fig4, fig5, fig6"), e.getMessage());
        }
    }

    @Nested
    class ArtefactNames {
        @Test
        void theHelpListsEveryArtefactAndAll() {
            assertEquals(String.join("|", Arrays.stream(Artefact.values()).map(Artefact::label).toList()) + "|all",
                    Artefact.CHOICES);
        }

        @Test
        void allMeansEveryArtefactInThePapersOrderEachOnce() {
            assertEquals(Arrays.asList(Artefact.values()), Artefact.parse(List.of("fig6", "all", "table1")));
            assertEquals(List.of(Artefact.TABLE2, Artefact.FIG3), Artefact.parse(List.of("fig3", "TABLE2", "fig3")));
        }

        @Test
        void anUnknownNameIsRefusedWithTheChoices() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Artefact.parse(List.of("table3")));
            assertTrue(e.getMessage().contains("'table3'") && e.getMessage().contains(Artefact.CHOICES),
                    e.getMessage());
        }
    }
}
