package com.storeops.icons;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import net.coobird.thumbnailator.Thumbnails;

/**
 * Square PNG icons from an image or, without one, from a product's initials. The image's
 * dimensions are read from its header before anything is decoded, so a decompression bomb (a small
 * file that decodes to billions of pixels) is refused at no cost; scaling is Thumbnailator's
 * progressive bilinear downscaling, never one nearest-neighbour step; the image keeps its aspect
 * ratio, centred on a transparent square.
 */
public final class IconRenderer {

  private final long maxPixels;

  public IconRenderer(long maxPixels) {
    this.maxPixels = maxPixels;
  }

  /** Decodes {@code bytes} after checking its header: the format must be known and the size bounded. */
  public BufferedImage decode(byte[] bytes) throws IconInputException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IconInputException("not an image in a supported format (PNG, JPEG, GIF, BMP)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > maxPixels) {
          throw new IconInputException("image is " + reader.getWidth(0) + " × " + reader.getHeight(0) + " = " + pixels
              + " pixels, more than the " + maxPixels + " allowed (STOREOPS_ICON_MAX_PIXELS)");
        }
        BufferedImage image = reader.read(0);
        if (image == null) {
          throw new IconInputException("image could not be decoded");
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      // Truncated and corrupt files surface as IOException or as the decoder's runtime exceptions.
      throw new IconInputException("corrupt or truncated image: " + e.getMessage());
    }
  }

  /** {@code image} scaled to fit {@code size} × {@code size}, centred on transparency, as PNG. */
  public byte[] icon(BufferedImage image, int size) {
    try {
      BufferedImage scaled = image.getWidth() <= size && image.getHeight() <= size ? image
          : Thumbnails.of(image).size(size, size).keepAspectRatio(true).imageType(BufferedImage.TYPE_INT_ARGB).asBufferedImage();
      BufferedImage square = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
      Graphics2D g = square.createGraphics();
      try {
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(scaled, (size - scaled.getWidth()) / 2, (size - scaled.getHeight()) / 2, null);
      } finally {
        g.dispose();
      }
      return png(square);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Up to two initials of {@code title} in white on a colour derived from {@code handle}: stable per product. */
  public byte[] monogram(String handle, String title, int size) {
    BufferedImage square = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = square.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      float hue = Math.floorMod(handle.hashCode(), 360) / 360f;
      g.setColor(Color.getHSBColor(hue, 0.55f, 0.75f));
      g.fillRoundRect(0, 0, size, size, size / 4, size / 4);
      String initials = initials(title == null || title.isBlank() ? handle : title);
      g.setColor(Color.WHITE);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(6, size * (initials.length() > 1 ? 2 : 3) / 5)));
      FontMetrics m = g.getFontMetrics();
      g.drawString(initials, (size - m.stringWidth(initials)) / 2, (size - m.getHeight()) / 2 + m.getAscent());
    } finally {
      g.dispose();
    }
    try {
      return png(square);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String initials(String text) {
    String letters = Arrays.stream(text.split("[\\s_-]+")).filter(w -> !w.isEmpty())
        .map(w -> w.substring(0, w.offsetByCodePoints(0, 1))).limit(2).collect(Collectors.joining());
    return letters.isEmpty() ? "?" : letters.toUpperCase(Locale.ROOT);
  }

  private static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
