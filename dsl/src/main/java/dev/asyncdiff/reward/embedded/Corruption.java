package dev.asyncdiff.reward.embedded;

import dev.asyncdiff.world.ImageDegradation;
import dev.asyncdiff.world.Requirements;
import dev.asyncdiff.world.Scene;
import dev.asyncdiff.world.SceneObject;
import dev.asyncdiff.world.SceneRenderer;
import dev.asyncdiff.world.SceneSampler;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * What makes the losing image of a synthetic preference pair: the winner is a faithful render of the caption, the
 * loser the same draw made unfaithful (a semantic corruption: the scene of an edited caption drawn with the same seed,
 * so layout, background and free attributes stay as far as the edit allows, or the scene with one object removed) or
 * degraded (a pixel corruption of the winner's very pixels). Severities are drawn from the ranges below.
 */
public enum Corruption {
    COLOUR(CaptionEdit.COLOUR),
    SHAPE(CaptionEdit.SHAPE),
    TEXTURE(CaptionEdit.TEXTURE),
    RELATION(CaptionEdit.RELATION),
    COUNT(CaptionEdit.COUNT),
    EXTRA(CaptionEdit.EXTRA),
    /** One object of the scene removed. */
    MISSING(null),
    /** Gaussian blur of {@link #BLUR_SIGMA} pixels. */
    BLUR(null),
    /** Detail lost by area-averaging 2× or 4× down and interpolating back up. */
    LOW_DETAIL(null),
    /** JPEG compression at quality {@link #JPEG_QUALITY}: 8×8 blocking and ringing. */
    JPEG(null),
    /** Independent Gaussian noise of {@link #NOISE_SIGMA} (on the [0, 1] scale) on every channel of every pixel. */
    NOISE(null);

    /** Blur standard deviation range, pixels. */
    public static final double[] BLUR_SIGMA = {0.7, 2.0};
    /** JPEG quality range on the JDK writer's 0–1 scale. */
    public static final double[] JPEG_QUALITY = {0.02, 0.25};
    /** Pixel-noise standard deviation range on the [0, 1] scale: from the finest level the paper's noise shows. */
    public static final double[] NOISE_SIGMA = {0.01, 0.1};

    private final CaptionEdit edit;

    Corruption(CaptionEdit edit) {
        this.edit = edit;
    }

    /** The name tables and logs use: {@code colour}, {@code low-detail}, … */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the corruption changes what the image shows (rather than how well it shows it). */
    public boolean semantic() {
        return edit != null || this == MISSING;
    }

    /**
     * The corrupted image for a caption whose faithful render is {@code clean}, the scene drawn for {@code r} with
     * {@code sceneSeed}; nothing when the corruption does not apply to the caption (e.g. a colour swap where no colour
     * is stated). Severities and the edited element are drawn from {@code rng}.
     */
    public Optional<BufferedImage> apply(Requirements r, long sceneSeed, BufferedImage clean, Random rng) {
        if (edit != null) {
            return edit.apply(r, rng).map(e -> SceneRenderer.render(SceneSampler.sample(e, sceneSeed)));
        }
        return Optional.of(switch (this) {
            case MISSING -> {
                Scene scene = SceneSampler.sample(r, sceneSeed);
                List<SceneObject> kept = new ArrayList<>(scene.objects());
                kept.remove(rng.nextInt(kept.size()));
                yield SceneRenderer.render(new Scene(scene.background(), kept));
            }
            case BLUR -> ImageDegradation.blur(clean, uniform(BLUR_SIGMA, rng));
            case LOW_DETAIL -> ImageDegradation.lowDetail(clean, rng.nextBoolean() ? 2 : 4);
            case JPEG -> ImageDegradation.jpeg(clean, uniform(JPEG_QUALITY, rng));
            case NOISE -> noise(clean, uniform(NOISE_SIGMA, rng), rng.nextLong());
            default -> throw new IllegalStateException("unhandled corruption " + this);
        });
    }

    /** Noise of standard deviation {@code sigma} on the [0, 1] scale. */
    public static BufferedImage noise(BufferedImage clean, double sigma, long seed) {
        return ImageDegradation.noise(clean, 255 * sigma, seed);
    }

    private static double uniform(double[] range, Random rng) {
        return range[0] + rng.nextDouble() * (range[1] - range[0]);
    }
}
