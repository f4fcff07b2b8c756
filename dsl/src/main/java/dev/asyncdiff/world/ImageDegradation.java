package dev.asyncdiff.world;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

/**
 * The imperfections a generator adds, for testing the oracle and for the corrupted side of the embedded reward
 * models' preference pairs: Gaussian blur, Gaussian pixel noise, lost detail and JPEG compression artefacts. Each
 * is a pure function of its arguments.
 */
public final class ImageDegradation {
    private ImageDegradation() {
    }

    /** The image blurred channel by channel with a Gaussian of {@code sigma} pixels, edges clamped. */
    public static BufferedImage blur(BufferedImage src, double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * r + 1];
        double total = 0;
        for (int i = -r; i <= r; i++) {
            kernel[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            total += kernel[i + r];
        }
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        double[][] rows = new double[3][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int i = -r; i <= r; i++) {
                    int rgb = src.getRGB(Math.min(w - 1, Math.max(0, x + i)), y);
                    for (int c = 0; c < 3; c++) {
                        rows[c][y * w + x] += kernel[i + r] / total * ((rgb >> (16 - 8 * c)) & 0xFF);
                    }
                }
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double v = 0;
                    for (int i = -r; i <= r; i++) {
                        v += kernel[i + r] / total * rows[c][Math.min(h - 1, Math.max(0, y + i)) * w + x];
                    }
                    rgb |= level(v) << (16 - 8 * c);
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }

    /** The image with independent Gaussian noise of {@code sigma} levels added to every channel of every pixel. */
    public static BufferedImage noise(BufferedImage src, double sigma, long seed) {
        Random rng = new Random(seed);
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                int rgb = src.getRGB(x, y);
                int noisy = 0;
                for (int c = 0; c < 3; c++) {
                    noisy |= level(((rgb >> (16 - 8 * c)) & 0xFF) + sigma * rng.nextGaussian()) << (16 - 8 * c);
                }
                out.setRGB(x, y, noisy);
            }
        }
        return out;
    }

    /**
     * Lost detail: the image area-averaged down by {@code factor} (each output pixel the mean of a factor×factor
     * block), then bilinearly interpolated back to its size, pixel centres aligned and edges clamped.
     */
    public static BufferedImage lowDetail(BufferedImage src, int factor) {
        int w = src.getWidth();
        int h = src.getHeight();
        if (factor < 1 || w % factor != 0 || h % factor != 0) {
            throw new IllegalArgumentException("the detail factor must divide the image's sides (got " + factor
                    + " for " + w + "×" + h + ")");
        }
        int sw = w / factor;
        int sh = h / factor;
        double[][] small = new double[3][sw * sh];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = src.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    small[c][(y / factor) * sw + x / factor] += ((rgb >> (16 - 8 * c)) & 0xFF)
                            / (double) (factor * factor);
                }
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            double fy = Math.max(0, Math.min(sh - 1, (y + 0.5) / factor - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(sh - 1, y0 + 1);
            for (int x = 0; x < w; x++) {
                double fx = Math.max(0, Math.min(sw - 1, (x + 0.5) / factor - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(sw - 1, x0 + 1);
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double[] s = small[c];
                    double top = s[y0 * sw + x0] + (fx - x0) * (s[y0 * sw + x1] - s[y0 * sw + x0]);
                    double bottom = s[y1 * sw + x0] + (fx - x0) * (s[y1 * sw + x1] - s[y1 * sw + x0]);
                    rgb |= level(top + (fy - y0) * (bottom - top)) << (16 - 8 * c);
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }

    /**
     * Compression artefacts: the image written as a baseline JPEG at {@code quality} (0 to 1, the JDK writer's
     * scale) and read back, so 8×8 blocking and ringing come from a real codec.
     */
    public static BufferedImage jpeg(BufferedImage src, double quality) {
        if (!(quality >= 0 && quality <= 1)) {
            throw new IllegalArgumentException("JPEG quality must lie in [0, 1] (got " + quality + ")");
        }
        BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.createGraphics().drawImage(src, 0, 0, null);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality((float) quality);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(rgb, null, null), param);
            stream.flush();
            return ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory JPEG round trip failed", e);
        } finally {
            writer.dispose();
        }
    }

    private static int level(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
