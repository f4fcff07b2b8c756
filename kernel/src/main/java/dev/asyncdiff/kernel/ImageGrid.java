package dev.asyncdiff.kernel;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/** Several images as one: a grid, row-major, small images enlarged by an integer factor so that they can be seen. */
final class ImageGrid {
    static final int MAX_COLUMNS = 8;

    private ImageGrid() {
    }

    static BufferedImage of(List<? extends RenderedImage> images) {
        return dev.asyncdiff.eval.ImageGrid.of(images, Math.min(images.size(), MAX_COLUMNS));
    }

    /** PNG bytes, base64-encoded, as Jupyter wants image/png. */
    static String pngBase64(RenderedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
