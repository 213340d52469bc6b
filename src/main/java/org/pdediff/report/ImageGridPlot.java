package org.pdediff.report;

import java.awt.image.BufferedImage;
import org.pdediff.core.Batch;

/**
 * Grids of small grey images (8×8 digits, 28×28 Fashion-MNIST, values in [−1, 1]), each row of a batch one image; and
 * the memorisation grid: per sample, the sample, its nearest training image and their distance.
 */
public final class ImageGridPlot {
    private ImageGridPlot() {
    }

    /**
     * Renders up to {@code cols × rows} images of side {@code side} (d = side²), values clipped to [lo, hi] and
     * mapped to black..white, each pixel drawn as a {@code scale × scale} block with a 2-pixel gap.
     */
    public static BufferedImage render(Batch images, int side, int cols, int rows, int scale, double lo, double hi) {
        if (images.dim() != side * side) {
            throw new IllegalArgumentException("images of dimension " + images.dim() + " are not " + side + "x" + side);
        }
        int gap = 2;
        int cell = side * scale + gap;
        BufferedImage out = new BufferedImage(cols * cell + gap, rows * cell + gap, BufferedImage.TYPE_INT_RGB);
        for (int px = 0; px < out.getWidth(); px++) {
            for (int py = 0; py < out.getHeight(); py++) {
                out.setRGB(px, py, 0x808080);
            }
        }
        int count = Math.min(images.size(), cols * rows);
        for (int k = 0; k < count; k++) {
            int ox = gap + (k % cols) * cell;
            int oy = gap + (k / cols) * cell;
            paint(out, images, k, side, scale, lo, hi, ox, oy);
        }
        return out;
    }

    /**
     * The memorisation grid: for each sample i (up to {@code rows × groups}), three cells side by side — the sample,
     * its nearest training image {@code nearest} row i, and the distance {@code dist[i]} written out — in
     * {@code groups} columns of such triplets, with a header line {@code title}. Values clipped to [lo, hi].
     */
    public static BufferedImage nearestNeighbours(Batch samples, Batch nearest, double[] dist, int side, int groups,
                                                  int scale, double lo, double hi, String title) {
        if (samples.dim() != side * side || nearest.dim() != side * side || nearest.size() < samples.size()
                || dist.length < samples.size()) {
            throw new IllegalArgumentException("nearest-neighbour grid: shapes do not match");
        }
        int count = samples.size();
        int rows = (count + groups - 1) / groups;
        int gap = 2;
        int cell = side * scale;
        int textW = Math.max(64, 5 * scale * 3);
        int groupW = 2 * cell + 3 * gap + textW + 12;
        int header = 22;
        int rowH = cell + gap;
        BufferedImage out = new BufferedImage(groups * groupW + gap, header + rows * rowH + gap, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setColor(java.awt.Color.BLACK);
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12));
        g.drawString(title, gap + 2, 15);
        for (int i = 0; i < count; i++) {
            int ox = gap + (i / rows) * groupW;
            int oy = header + (i % rows) * rowH;
            paint(out, samples, i, side, scale, lo, hi, ox, oy);
            paint(out, nearest, i, side, scale, lo, hi, ox + cell + gap, oy);
            g.setColor(java.awt.Color.BLACK);
            g.drawString(String.format(java.util.Locale.ROOT, "%.3g", dist[i]), ox + 2 * cell + 3 * gap, oy + cell / 2 + 5);
        }
        g.dispose();
        return out;
    }

    /** Image row k of {@code images} (side × side, values clipped to [lo, hi]) as grey pixels scaled by {@code scale} at (ox, oy). */
    private static void paint(BufferedImage out, Batch images, int k, int side, int scale, double lo, double hi, int ox, int oy) {
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                double v = (images.get(k, r * side + c) - lo) / (hi - lo);
                int gv = (int) Math.round(255 * Math.min(1, Math.max(0, v)));
                int rgb = (gv << 16) | (gv << 8) | gv;
                for (int a = 0; a < scale; a++) {
                    for (int b = 0; b < scale; b++) {
                        out.setRGB(ox + c * scale + b, oy + r * scale + a, rgb);
                    }
                }
            }
        }
    }
}
