package dev.asyncdiff.eval.plot;

import dev.asyncdiff.eval.ImageGrid;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Fig. 5–6: images side by side with labels, one row per prompt (its text on the left, wrapped) and one column per
 * method (its spec on top). Tiles are enlarged pixel-exactly by {@link ImageGrid#enlargement} and centred in their cell.
 *
 * @param image        the grid
 * @param left         width of the row-label margin
 * @param top          height of the column-label margin
 * @param columnWidth  width of a column (at least a tile, wider when its label is)
 * @param rowHeight    height of a row (at least a tile, taller when its label wraps to more lines)
 * @param scale        the enlargement of every image
 */
public record QualitativeGrid(BufferedImage image, int left, int top, int columnWidth, int rowHeight, int scale,
                              int tileWidth, int tileHeight) {
    public static final int GAP = ImageGrid.GAP;
    /** Row labels wrap to lines at most this wide. */
    public static final int LABEL_WIDTH = 180;
    public static final int PAD = 6;
    public static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    /**
     * @param cells {@code cells.get(row).get(column)}; every row holds one image per column label
     */
    public static QualitativeGrid of(List<String> rowLabels, List<String> columnLabels,
                                     List<? extends List<? extends RenderedImage>> cells) {
        if (rowLabels.isEmpty() || columnLabels.isEmpty() || cells.size() != rowLabels.size()) {
            throw new IllegalArgumentException("a qualitative grid needs at least one row and column and one row of "
                    + "images per row label (got " + rowLabels.size() + " labels, " + cells.size() + " rows)");
        }
        int w = 0;
        int h = 0;
        for (int r = 0; r < cells.size(); r++) {
            if (cells.get(r).size() != columnLabels.size()) {
                throw new IllegalArgumentException("row " + r + " holds " + cells.get(r).size() + " images for "
                        + columnLabels.size() + " column labels; give one image per column");
            }
            for (RenderedImage im : cells.get(r)) {
                w = Math.max(w, im.getWidth());
                h = Math.max(h, im.getHeight());
            }
        }
        int scale = ImageGrid.enlargement(w, h);
        int tw = w * scale;
        int th = h * scale;
        FontMetrics fm = metrics();
        List<List<String>> wrapped = rowLabels.stream().map(l -> wrap(l, fm)).toList();
        int left = 2 * PAD + wrapped.stream().flatMap(List::stream).mapToInt(fm::stringWidth).max().orElse(0);
        int top = 2 * PAD + fm.getHeight();
        int columnWidth = Math.max(tw, PAD + columnLabels.stream().mapToInt(fm::stringWidth).max().orElse(0));
        int rowHeight = Math.max(th, wrapped.stream().mapToInt(List::size).max().orElse(1) * fm.getHeight());
        int cols = columnLabels.size();
        int rows = rowLabels.size();
        BufferedImage image = new BufferedImage(left + cols * columnWidth + (cols - 1) * GAP,
                top + rows * rowHeight + (rows - 1) * GAP, BufferedImage.TYPE_INT_RGB);
        QualitativeGrid grid = new QualitativeGrid(image, left, top, columnWidth, rowHeight, scale, tw, th);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(FONT);
            g.setColor(Color.BLACK);
            for (int c = 0; c < cols; c++) {
                String label = columnLabels.get(c);
                int x = left + c * (columnWidth + GAP) + (columnWidth - fm.stringWidth(label)) / 2;
                g.drawString(label, x, PAD + fm.getAscent());
            }
            for (int r = 0; r < rows; r++) {
                List<String> lines = wrapped.get(r);
                int y = top + r * (rowHeight + GAP) + (rowHeight - lines.size() * fm.getHeight()) / 2;
                for (int i = 0; i < lines.size(); i++) {
                    g.drawString(lines.get(i), PAD, y + i * fm.getHeight() + fm.getAscent());
                }
                for (int c = 0; c < cols; c++) {
                    Point o = grid.origin(r, c);
                    AffineTransform place = new AffineTransform();
                    place.translate(o.x, o.y);
                    place.scale(scale, scale);
                    g.drawRenderedImage(cells.get(r).get(c), place);
                }
            }
        } finally {
            g.dispose();
        }
        return grid;
    }

    /** The top-left pixel of the image in a cell. */
    public Point origin(int row, int column) {
        return new Point(left + column * (columnWidth + GAP) + (columnWidth - tileWidth) / 2,
                top + row * (rowHeight + GAP) + (rowHeight - tileHeight) / 2);
    }

    private static FontMetrics metrics() {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            return g.getFontMetrics(FONT);
        } finally {
            g.dispose();
        }
    }

    /** The words in lines of at most {@link #LABEL_WIDTH} pixels (a longer word gets a line of its own). */
    private static List<String> wrap(String text, FontMetrics fm) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (!line.isEmpty() && fm.stringWidth(candidate) > LABEL_WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        lines.add(line.toString());
        return lines;
    }
}
