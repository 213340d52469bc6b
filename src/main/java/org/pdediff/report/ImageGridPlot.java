package org.pdediff.report;

import java.awt.image.BufferedImage;
import org.pdediff.core.Batch;

/** A grid of small grey images (e.g. 8×8 digits in [−1, 1]), each row of the batch one image. */
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
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    double v = (images.get(k, r * side + c) - lo) / (hi - lo);
                    int g = (int) Math.round(255 * Math.min(1, Math.max(0, v)));
                    int rgb = (g << 16) | (g << 8) | g;
                    for (int a = 0; a < scale; a++) {
                        for (int b = 0; b < scale; b++) {
                            out.setRGB(ox + c * scale + b, oy + r * scale + a, rgb);
                        }
                    }
                }
            }
        }
        return out;
    }
}
