package dev.asyncdiff.kernel;

import com.google.gson.JsonObject;
import dev.asyncdiff.kernel.KernelClient.Execution;
import dev.asyncdiff.kernel.KernelClient.Msg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.tools.ToolProvider;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The kernel in its own JVM, driven over ZeroMQ by a client that signs its messages with the connection key. */
@DisplayName("The kernel, over the Jupyter protocol")
class KernelProtocolTest {
    static final String DEMO_SPEC = "var spec = GmmSpec.parse(new String("
            + "Pipeline.class.getResourceAsStream(\"/dev/asyncdiff/gmm/demo.json\").readAllBytes()));";

    @TempDir
    static Path dir;
    static RunningKernel kernel;

    @BeforeAll
    static void start() throws Exception {
        kernel = RunningKernel.start(dir);
        assertEquals("ok", kernel.execute(DEMO_SPEC).status());
    }

    @AfterAll
    static void stop() throws Exception {
        kernel.close();
    }

    static Msg only(Execution e, String type) {
        List<Msg> msgs = e.ofType(type);
        assertEquals(1, msgs.size(), () -> "expected one " + type + " in " + e.iopub());
        return msgs.get(0);
    }

    static JsonObject data(Msg m) {
        return m.content().getAsJsonObject("data");
    }

    static String result(Execution e) {
        assertEquals("ok", e.status(), () -> "cell failed: " + e.iopub());
        return data(only(e, "execute_result")).get("text/plain").getAsString();
    }

    static BufferedImage png(JsonObject data) throws Exception {
        byte[] bytes = Base64.getMimeDecoder().decode(data.get("image/png").getAsString());
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }

    static JsonObject code(String code, int cursor) {
        JsonObject c = new JsonObject();
        c.addProperty("code", code);
        c.addProperty("cursor_pos", cursor);
        c.addProperty("detail_level", 0);
        return c;
    }

    static JsonObject executeContent(String code) {
        JsonObject c = code(code, 0);
        c.addProperty("silent", false);
        c.addProperty("store_history", true);
        c.add("user_expressions", new JsonObject());
        c.addProperty("allow_stdin", false);
        return c;
    }

    @Nested
    class KernelInfo {
        @Test
        void describesJavaOfTheRunningJvmWithDotJavaFiles() {
            JsonObject reply = kernel.client.awaitReady(10_000).content();
            JsonObject language = reply.getAsJsonObject("language_info");
            assertEquals("java", language.get("name").getAsString());
            assertEquals(System.getProperty("java.version"), language.get("version").getAsString());
            assertEquals(".java", language.get("file_extension").getAsString());
            assertEquals("asyncdiff", reply.get("implementation").getAsString());
            assertEquals("5.3", reply.get("protocol_version").getAsString());
        }
    }

    @Nested
    class Cells {
        @Test
        void anExpressionComesBackAsAnExecuteResultWithItsCount() {
            Execution e = kernel.execute("6 * 7");
            assertEquals("42", result(e));
            assertEquals(e.reply().content().get("execution_count").getAsInt(),
                    only(e, "execute_result").content().get("execution_count").getAsInt());
        }

        @Test
        void printedTextArrivesOnStdoutAndADeclarationShowsNoResult() {
            Execution e = kernel.execute("int answer = 42;\nSystem.out.println(\"answer \" + answer);");
            assertEquals("ok", e.status());
            assertEquals("answer 42\n", e.stream("stdout"));
            assertTrue(e.ofType("execute_result").isEmpty());
        }

        @Test
        void everyCellRunsOnTheOneEvaluationThread() {
            String first = result(kernel.execute("Thread.currentThread().getId()"));
            String second = result(kernel.execute("Thread.currentThread().getId()"));
            assertEquals(first, second);
            assertEquals(CellEvaluator.THREAD_NAME, result(kernel.execute("Thread.currentThread().getName()")));
        }

        @Test
        void valuesAreLiveObjectsThatLaterCellsUse() {
            kernel.execute("var g = Pipeline.gmm(spec).steps(5).generate(\"1\", 3);");
            assertEquals("3", result(kernel.execute("g.size()")));
        }
    }

    @Nested
    class RichDisplay {
        @Test
        void aBufferedImageIsAPngOfTheSameSize() throws Exception {
            Execution e = kernel.execute("new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB)");
            BufferedImage im = png(data(only(e, "execute_result")));
            assertEquals(20, im.getWidth());
            assertEquals(10, im.getHeight());
        }

        @Test
        void aListOfImagesIsOneGridPng() throws Exception {
            Execution e = kernel.execute("var tile = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);\n"
                    + "List.of(tile, tile, tile)");
            BufferedImage grid = png(data(only(e, "execute_result")));
            int scale = (dev.asyncdiff.eval.ImageGrid.MIN_TILE + 31) / 32;
            assertEquals(3 * 32 * scale + 2 * dev.asyncdiff.eval.ImageGrid.GAP, grid.getWidth());
            assertEquals(32 * scale, grid.getHeight());
        }

        @Test
        void aTablesawTableIsHtmlAndText() {
            Execution e = kernel.execute("Table.create(\"scores\", DoubleColumn.create(\"nll\", 1.5, 2.5))");
            JsonObject d = data(only(e, "execute_result"));
            assertTrue(d.get("text/html").getAsString().contains("<table"), d::toString);
            assertTrue(d.get("text/html").getAsString().contains("2.5"), d::toString);
            assertTrue(d.get("text/plain").getAsString().contains("nll"), d::toString);
        }

        @Test
        void anXChartChartIsAPngAndAnSvgOfItsSize() throws Exception {
            Execution e = kernel.execute("var c = new XYChartBuilder().width(300).height(200).title(\"growth\")"
                    + ".build();\nc.addSeries(\"line\", new double[] {0, 1, 2}, new double[] {0, 1, 4});\nc");
            JsonObject d = data(only(e, "execute_result"));
            BufferedImage im = png(d);
            assertEquals(300, im.getWidth());
            assertEquals(200, im.getHeight());
            String svg = d.get("image/svg+xml").getAsString();
            assertTrue(svg.contains("<svg") && svg.contains("width=\"300") && svg.contains("height=\"200"),
                    () -> svg.substring(0, Math.min(400, svg.length())));
        }

        @Test
        void aTrajectoryIsAnHtmlTableWithOneRowPerStep() {
            Execution e = kernel.execute("Pipeline.gmm(spec).steps(7).async(Policies.fixed(0.3)).generate(\"0\", 1)"
                    + ".trajectories().get(0)");
            String html = data(only(e, "execute_result")).get("text/html").getAsString();
            assertEquals(1 + 7, html.split("<tr>", -1).length - 1, html);
            assertTrue(html.contains("+0.3000"), html);
        }

        @Test
        void aGenerationIsAnHtmlSummary() {
            Execution e = kernel.execute("Pipeline.gmm(spec).steps(4).generate(List.of(\"0\", \"1\"), 2)");
            String html = data(only(e, "execute_result")).get("text/html").getAsString();
            assertTrue(html.contains("<td>samples</td><td>4</td>"), html);
        }

        @Test
        void displayPublishesDisplayDataAndUpdateDisplayReplacesIt() {
            Execution e = kernel.execute("String id = display(\"first\");\nupdateDisplay(id, \"second\");\nid");
            String id = result(e);
            Msg shown = only(e, "display_data");
            Msg updated = only(e, "update_display_data");
            assertEquals(id, shown.content().getAsJsonObject("transient").get("display_id").getAsString());
            assertEquals(id, updated.content().getAsJsonObject("transient").get("display_id").getAsString());
            assertEquals("second", data(updated).get("text/plain").getAsString());
        }

        @Test
        void aProgressBarIsShownAndUpdatedInPlaceUntilDone() {
            Execution e = kernel.execute("var p = Pipeline.gmm(spec).steps(400).batchSize(4);\n"
                    + "p.onStep(progress(p, 8)).generate(\"2\", 8).size()");
            assertEquals("8", result(e));
            Msg shown = only(e, "display_data");
            assertTrue(data(shown).get("text/html").getAsString().contains("<progress"));
            List<Msg> updates = e.ofType("update_display_data");
            assertFalse(updates.isEmpty());
            String last = data(updates.get(updates.size() - 1)).get("text/plain").getAsString();
            assertTrue(last.contains("800/800 steps (100%), done"), last);
        }
    }

    @Nested
    class Errors {
        @Test
        void aCompileErrorNamesTheCellLineAndTheSymbol() {
            Execution e = kernel.execute("int a = 1;\nint b = a + undefinedName;");
            assertEquals("error", e.status());
            Msg error = only(e, "error");
            assertEquals("CompilationError", error.content().get("ename").getAsString());
            String trace = error.content().get("traceback").toString();
            assertTrue(trace.contains("line 2"), trace);
            assertTrue(trace.contains("undefinedName"), trace);
            assertEquals("CompilationError", e.reply().content().get("ename").getAsString());
        }

        @Test
        void anExceptionShowsItsClassMessageAndCellLineWithoutJShellFrames() {
            Execution e = kernel.execute("int a = 1;\nObjects.requireNonNull(null, \"no value here\");");
            Msg error = only(e, "error");
            assertEquals("NullPointerException", error.content().get("ename").getAsString());
            assertEquals("no value here", error.content().get("evalue").getAsString());
            String count = e.reply().content().get("execution_count").getAsString();
            List<String> trace = error.content().getAsJsonArray("traceback").asList().stream()
                    .map(j -> j.getAsString()).toList();
            assertEquals("  at cell [" + count + "], line 2", trace.get(trace.size() - 1), trace::toString);
            assertTrue(trace.stream().noneMatch(l -> l.contains("jdk.jshell") || l.contains("reflect")),
                    trace::toString);
        }

        @Test
        void aFrameInAMethodFromAnEarlierCellPointsAtThatCell() {
            Execution def = kernel.execute("int half(int x) {\n  if (x % 2 != 0)\n"
                    + "    throw new IllegalArgumentException(\"odd: \" + x);\n  return x / 2;\n}");
            String defCount = def.reply().content().get("execution_count").getAsString();
            Execution call = kernel.execute("half(3)");
            String trace = only(call, "error").content().get("traceback").toString();
            assertTrue(trace.contains("at half (cell [" + defCount + "], line 3)"), trace);
        }

        @Test
        void theKernelKeepsWorkingAfterErrors() {
            kernel.execute("throw new IllegalStateException(\"boom\");");
            assertEquals("2", result(kernel.execute("1 + 1")));
        }
    }

    @Nested
    class Interrupts {
        Execution interruptAfter(String code, long millis) throws InterruptedException {
            String id = kernel.client.request("execute_request", executeContent(code));
            Thread.sleep(millis);
            Msg reply = kernel.client.controlReply(kernel.client.controlRequest("interrupt_request", new JsonObject()),
                    5000);
            assertNotNull(reply, "no interrupt_reply");
            return kernel.client.collect(id, 30_000);
        }

        @Test
        void stopASamplingLoopAtTheNextStepThroughTheProgressCallback() throws Exception {
            Execution e = interruptAfter("var bar = progress(10_000_000L);\n"
                    + "for (int i = 0; i < 1_000_000; i++) {\n"
                    + "  Pipeline.gmm(spec).steps(10).onStep(bar).generate(\"0\", 1);\n}", 1500);
            Msg error = only(e, "error");
            assertEquals("Interrupted", error.content().get("ename").getAsString());
            String trace = error.content().get("traceback").toString();
            assertTrue(trace.contains("sampling interrupted after step"), trace);
            assertEquals("2", result(kernel.execute("1 + 1")));
        }

        @Test
        void stopABusyLoopThatNeverChecksAndKeepEarlierState() throws Exception {
            assumeTrue(Runtime.version().feature() < 20, "Thread.stop, which stops such a loop, ends with Java 19");
            kernel.execute("int kept = 5;");
            Execution e = interruptAfter("long spins = 0;\nwhile (true) {\n  spins++;\n}", 500);
            assertEquals("Interrupted", only(e, "error").content().get("ename").getAsString());
            assertEquals("5", result(kernel.execute("kept")));
        }

        @Test
        void wakeASleepingCell() throws Exception {
            long t0 = System.nanoTime();
            Execution e = interruptAfter("Thread.sleep(60_000);", 300);
            assertEquals("Interrupted", only(e, "error").content().get("ename").getAsString());
            assertTrue(System.nanoTime() - t0 < 20_000_000_000L);
        }

        @Test
        void doNothingWhenNoCellRuns() {
            assertNotNull(kernel.client.controlReply(
                    kernel.client.controlRequest("interrupt_request", new JsonObject()), 5000));
            assertEquals("2", result(kernel.execute("1 + 1")));
        }
    }

    @Nested
    class Signing {
        @Test
        void aWronglySignedRequestIsDroppedAndLogged() throws Exception {
            String id = kernel.client.sendWithSignature("execute_request", executeContent("1 + 1"), "0".repeat(64));
            assertNull(kernel.client.shellReply(id, 1500));
            String log = kernel.log();
            assertTrue(log.contains("signature does not match"), log);
            assertEquals("2", result(kernel.execute("1 + 1")));
        }

        @Test
        void anUnsignedRequestIsDropped() {
            String id = kernel.client.sendWithSignature("kernel_info_request", new JsonObject(), "");
            assertNull(kernel.client.shellReply(id, 1500));
            assertTrue(kernel.alive());
        }
    }

    @Nested
    class Insight {
        JsonObject reply(String type, JsonObject content) {
            Msg m = kernel.client.shellReply(kernel.client.request(type, content), 30_000);
            assertNotNull(m, "no reply to " + type);
            return m.content();
        }

        @Test
        void completionOffersTheMethodsOfAClass() {
            JsonObject r = reply("complete_request", code("Pipeline.gm", 11));
            assertTrue(r.get("matches").toString().contains("gmm("), r::toString);
            assertEquals(9, r.get("cursor_start").getAsInt());
            assertEquals(11, r.get("cursor_end").getAsInt());
        }

        @Test
        void completionWorksInTheSecondSnippetOfACell() {
            String cell = "int count = 1;\nPipeline.gm";
            JsonObject r = reply("complete_request", code(cell, cell.length()));
            assertTrue(r.get("matches").toString().contains("gmm("), r::toString);
            assertEquals(cell.length() - 2, r.get("cursor_start").getAsInt());
        }

        @Test
        void completionOffersMagics() {
            JsonObject r = reply("complete_request", code("%ti", 3));
            assertEquals("[\"%time\"]", r.get("matches").toString());
        }

        @Test
        void isCompleteTellsAnOpenBlockFromAFinishedStatement() {
            JsonObject c = new JsonObject();
            c.addProperty("code", "for (int i = 0; i < 3; i++) {");
            assertEquals("incomplete", reply("is_complete_request", c).get("status").getAsString());
            c.addProperty("code", "int x = 1;");
            assertEquals("complete", reply("is_complete_request", c).get("status").getAsString());
        }

        @Test
        void inspectionShowsTheSignature() {
            JsonObject r = reply("inspect_request", code("Pipeline.gmm(", 13));
            assertTrue(r.get("found").getAsBoolean(), r::toString);
            assertTrue(r.getAsJsonObject("data").get("text/plain").getAsString().contains("gmm("), r::toString);
        }
    }

    @Nested
    class MagicCommands {
        @Test
        void timePrintsTheWallTimeAndKeepsTheResult() {
            Execution e = kernel.execute("%time 2 + 3");
            assertEquals("5", result(e));
            assertTrue(e.stream("stdout").startsWith("Wall time: "), e.stream("stdout"));
        }

        @Test
        void shellRunsTheCellAndFailsOnANonZeroExit() {
            assertEquals("hello\n", kernel.execute("%%shell\necho hello").stream("stdout"));
            Execution e = kernel.execute("%%shell\nexit 3");
            assertEquals("ShellError", only(e, "error").content().get("ename").getAsString());
        }

        @Test
        void loadEvaluatesAScriptInTheKernelsState() throws Exception {
            Path script = Files.writeString(dir.resolve("part.jsh"), "int loaded = 7;\n");
            assertEquals("42", result(kernel.execute("%load " + script + "\nloaded * 6")));
        }

        @Test
        void loadRunsTheCodeCellsOfANotebook() throws Exception {
            Path nb = Files.writeString(dir.resolve("other.ipynb"), """
                    {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# notes"]},
                               {"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [],
                                "source": ["int fromNotebook = 40;\\n", "fromNotebook += 2;"]}],
                     "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""");
            assertEquals("42", result(kernel.execute("%load " + nb + "\nfromNotebook")));
        }

        @Test
        void classpathAddsCompiledClassesForLaterCells() throws Exception {
            Path src = Files.writeString(dir.resolve("Greeter.java"), "package greeting;\n"
                    + "public class Greeter { public String hi() { return \"hi from a jar-less class\"; } }");
            Path classes = Files.createDirectories(dir.resolve("classes"));
            assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                    src.toString()));
            Execution e = kernel.execute("%classpath " + classes + "\nnew greeting.Greeter().hi()");
            assertEquals("hi from a jar-less class", result(e));
        }

        @Test
        void anUnknownMagicIsAnError() {
            Execution e = kernel.execute("%nosuchmagic");
            assertEquals("UnknownMagic", only(e, "error").content().get("ename").getAsString());
        }
    }
}
