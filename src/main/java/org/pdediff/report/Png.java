package org.pdediff.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.pdediff.core.AtomicFiles;

/** PNG output: charts and images written atomically, and panels placed side by side. */
public final class Png {
    private Png() {
    }

    /** Renders an XChart chart to an image. */
    public static BufferedImage render(Chart<?, ?> chart) {
        if (chart instanceof org.knowm.xchart.XYChart xy) {
            AxisGuard.tame(xy); // bounded time on extreme ranges
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Writes an image as PNG, atomically. */
    public static void write(Path target, BufferedImage image) {
        AtomicFiles.write(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new java.io.IOException("no PNG writer");
            }
        });
    }

    /** Writes a chart as PNG, atomically. */
    public static void write(Path target, Chart<?, ?> chart) {
        write(target, render(chart));
    }

    /** Places images left to right on a white background (top-aligned). */
    public static BufferedImage sideBySide(List<BufferedImage> images) {
        return tiled(images, true);
    }

    /** Places images top to bottom on a white background (left-aligned). */
    public static BufferedImage stacked(List<BufferedImage> images) {
        return tiled(images, false);
    }

    /** The images one after another, left to right ({@code across}) or top to bottom, on a white canvas that fits them. */
    private static BufferedImage tiled(List<BufferedImage> images, boolean across) {
        int w = 0;
        int h = 0;
        for (BufferedImage im : images) {
            w = across ? w + im.getWidth() : Math.max(w, im.getWidth());
            h = across ? Math.max(h, im.getHeight()) : h + im.getHeight();
        }
        BufferedImage out = new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        int at = 0;
        for (BufferedImage im : images) {
            g.drawImage(im, across ? at : 0, across ? 0 : at, null);
            at += across ? im.getWidth() : im.getHeight();
        }
        g.dispose();
        return out;
    }
}
