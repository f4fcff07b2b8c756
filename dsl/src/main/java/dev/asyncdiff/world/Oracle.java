package dev.asyncdiff.world;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Judges whether an image shows what a caption says, check by check, as GenEval and T2I-CompBench score generated
 * images — but exactly, because the world is known. It finds objects ({@link ForegroundSegmenter}), measures each
 * ({@link BlobClassifier}), then matches found objects to the caption's objects one to one so that as many checks
 * pass as possible, and reports:
 * <ul>
 * <li>COUNT: as many objects as the caption names;</li>
 * <li>per named object: its shape, and its colour, texture and size where stated;</li>
 * <li>RELATION: the relation between the two groups' centroids ({@link Relation#holds} with margin 0).</li>
 * </ul>
 * A caption's object left without a match fails all its checks.
 */
public final class Oracle {
    /** Only the largest blobs are matched; more than this is clutter no caption asks for. */
    private static final int MAX_DETECTIONS = 8;

    private Oracle() {
    }

    /** The objects the oracle finds in an image, largest first. */
    public static List<Detection> detect(BufferedImage image) {
        List<Blob> blobs = ForegroundSegmenter.blobs(image);
        return matched(blobs).stream().map(b -> BlobClassifier.classify(image, b, blobs)).toList();
    }

    /** The blobs the oracle matches, largest first: the largest {@value #MAX_DETECTIONS}. */
    private static List<Blob> matched(List<Blob> blobs) {
        return blobs.stream().limit(MAX_DETECTIONS).toList();
    }

    /**
     * The pixels of the objects the oracle finds (the blobs {@link #detect} measures), row by row: where an image's
     * objects are, for scoring what a model attends to.
     */
    public static boolean[] objectPixels(BufferedImage image) {
        boolean[] out = new boolean[image.getWidth() * image.getHeight()];
        for (Blob b : matched(ForegroundSegmenter.blobs(image))) {
            for (int i = 0; i < out.length; i++) {
                out[i] |= b.mask()[i];
            }
        }
        return out;
    }

    /** Judges an image against a caption text; throws as {@link CaptionParser#parse} does for invalid text. */
    public static Verdict judge(BufferedImage image, String caption) {
        return judge(image, CaptionParser.parse(caption));
    }

    /** Judges an image against a caption. */
    public static Verdict judge(BufferedImage image, Caption caption) {
        return judge(image, caption.requirements());
    }

    /** Judges an image against a caption's requirements. */
    public static Verdict judge(BufferedImage image, Requirements requirements) {
        List<Detection> found = detect(image);
        List<ObjectGroup> slots = new ArrayList<>();
        List<Integer> slotGroup = new ArrayList<>();
        for (int g = 0; g < requirements.groups().size(); g++) {
            for (int k = 0; k < requirements.groups().get(g).count(); k++) {
                slots.add(requirements.groups().get(g));
                slotGroup.add(g);
            }
        }
        Matching matching = new Matching(requirements, slots, slotGroup, found);
        matching.search(new int[slots.size()], 0, new boolean[found.size()]);
        return new Verdict(matching.bestChecks, found);
    }

    /** Judges one image per caption and tallies the verdicts by category and by kind of check. */
    public static OracleReport evaluate(List<Caption> captions, Function<Caption, BufferedImage> images) {
        List<Verdict> verdicts = captions.stream().map(c -> judge(images.apply(c), c)).toList();
        return OracleReport.of(captions, verdicts);
    }

    /** An exhaustive search over one-to-one matchings of caption objects (slots) to found objects. */
    private static final class Matching {
        private final Requirements requirements;
        private final List<ObjectGroup> slots;
        private final List<Integer> slotGroup;
        private final List<Detection> found;
        private List<Check> bestChecks;
        private long bestPassed = -1;

        Matching(Requirements requirements, List<ObjectGroup> slots, List<Integer> slotGroup, List<Detection> found) {
            this.requirements = requirements;
            this.slots = slots;
            this.slotGroup = slotGroup;
            this.found = found;
        }

        /** Tries every detection (or none, −1) for slot i onwards. */
        void search(int[] assigned, int i, boolean[] used) {
            if (i == slots.size()) {
                List<Check> checks = checks(assigned);
                long passed = checks.stream().filter(Check::passed).count();
                if (passed > bestPassed) {
                    bestPassed = passed;
                    bestChecks = checks;
                }
                return;
            }
            for (int d = -1; d < found.size(); d++) {
                if (d >= 0 && used[d]) {
                    continue;
                }
                assigned[i] = d;
                if (d >= 0) {
                    used[d] = true;
                }
                search(assigned, i + 1, used);
                if (d >= 0) {
                    used[d] = false;
                }
            }
        }

        private List<Check> checks(int[] assigned) {
            List<Check> checks = new ArrayList<>();
            checks.add(new Check(CheckKind.COUNT, requirements.objectCount() + " objects (found " + found.size() + ")",
                    found.size() == requirements.objectCount()));
            for (int i = 0; i < slots.size(); i++) {
                ObjectGroup g = slots.get(i);
                Detection d = assigned[i] < 0 ? null : found.get(assigned[i]);
                String who = "object " + (i + 1) + " ('" + CaptionWriter.phrase(g) + "')";
                checks.add(new Check(CheckKind.SHAPE, who + " is a " + g.shape().singular(),
                        d != null && d.shape() == g.shape()));
                g.colour().ifPresent(c -> checks.add(new Check(CheckKind.COLOUR, who + " is " + c.word(),
                        d != null && d.colour() == c)));
                g.texture().ifPresent(t -> checks.add(new Check(CheckKind.TEXTURE, who + " is " + t.word(),
                        d != null && d.texture() == t)));
                g.size().ifPresent(s -> checks.add(new Check(CheckKind.SIZE, who + " is " + s.word(),
                        d != null && d.size() == s)));
            }
            requirements.relation().ifPresent(r -> checks.add(new Check(CheckKind.RELATION,
                    "'" + CaptionWriter.phrase(requirements.groups().get(0)) + "' is " + r.phrase() + " '"
                            + CaptionWriter.phrase(requirements.groups().get(1)) + "'", relationHolds(r, assigned))));
            return checks;
        }

        private boolean relationHolds(Relation r, int[] assigned) {
            if (Arrays.stream(assigned).anyMatch(a -> a < 0)) {
                return false;
            }
            double[][] centroid = new double[2][2];
            int[] members = new int[2];
            for (int i = 0; i < slots.size(); i++) {
                int g = slotGroup.get(i);
                Detection d = found.get(assigned[i]);
                centroid[g][0] += d.x();
                centroid[g][1] += d.y();
                members[g]++;
            }
            return r.holds(centroid[0][0] / members[0], centroid[0][1] / members[0],
                    centroid[1][0] / members[1], centroid[1][1] / members[1], 0);
        }
    }
}
