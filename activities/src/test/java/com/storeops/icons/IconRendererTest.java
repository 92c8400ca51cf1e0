package com.storeops.icons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Icons decoded back and looked at: size, transparency, content; and every bad input refused by name. */
class IconRendererTest {

  private final IconRenderer renderer = new IconRenderer(20_000_000);

  @ParameterizedTest
  @ValueSource(ints = {16, 32, 50, 100, 160, 240})
  void aWideImageBecomesASquareIconWithTransparentBandsAndItsColours(int size) throws Exception {
    BufferedImage wide = image(800, 400, Color.RED, BufferedImage.TYPE_INT_RGB);

    BufferedImage icon = ImageIO.read(new ByteArrayInputStream(renderer.icon(renderer.decode(bytes(wide, "png")), size)));

    assertThat(icon.getWidth()).isEqualTo(size);
    assertThat(icon.getHeight()).isEqualTo(size);
    assertThat(alpha(icon, size / 2, 0)).as("band above a 2:1 image").isZero();
    Color centre = new Color(icon.getRGB(size / 2, size / 2), true);
    assertThat(centre.getAlpha()).isEqualTo(255);
    assertThat(centre.getRed()).isGreaterThan(200);
    assertThat(centre.getGreen()).isLessThan(60);
  }

  @Test
  void downscalingIsSmoothNotNearestNeighbour() throws Exception {
    // A 1-pixel black/white checkerboard averages to grey when scaled well; nearest neighbour keeps pure black or white.
    BufferedImage checker = new BufferedImage(512, 512, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 512; x++) {
      for (int y = 0; y < 512; y++) {
        checker.setRGB(x, y, (x + y) % 2 == 0 ? 0xffffff : 0x000000);
      }
    }

    BufferedImage icon = ImageIO.read(new ByteArrayInputStream(renderer.icon(checker, 32)));

    int grey = new Color(icon.getRGB(16, 16)).getRed();
    assertThat(grey).isBetween(60, 195);
  }

  @Test
  void aMonogramShowsInitialsOnAColourStableForTheHandle() throws Exception {
    BufferedImage a = ImageIO.read(new ByteArrayInputStream(renderer.monogram("blue-mug", "Blue Mug", 100)));
    BufferedImage again = ImageIO.read(new ByteArrayInputStream(renderer.monogram("blue-mug", "Blue Mug", 100)));
    BufferedImage other = ImageIO.read(new ByteArrayInputStream(renderer.monogram("red-cap", "Red Cap", 100)));

    assertThat(IconRenderer.initials("Blue Mug")).isEqualTo("BM");
    assertThat(IconRenderer.initials("élan")).isEqualTo("É");
    assertThat(a.getWidth()).isEqualTo(100);
    assertThat(a.getRGB(50, 5)).isEqualTo(again.getRGB(50, 5)).isNotEqualTo(other.getRGB(50, 5));
    long white = 0;
    for (int x = 0; x < 100; x++) {
      for (int y = 0; y < 100; y++) {
        white += a.getRGB(x, y) == Color.WHITE.getRGB() ? 1 : 0;
      }
    }
    assertThat(white).as("the letters are drawn").isGreaterThan(100);
  }

  @Test
  void aDecompressionBombIsRefusedFromItsHeader() throws Exception {
    byte[] big = bytes(image(6000, 6000, Color.WHITE, BufferedImage.TYPE_BYTE_BINARY), "png"); // a few KB, 36 M pixels

    assertThatThrownBy(() -> new IconRenderer(20_000_000).decode(big))
        .isInstanceOf(IconInputException.class).hasMessageContaining("36000000 pixels");
  }

  @Test
  void corruptTruncatedAndUnsupportedInputsAreRefusedByName() throws Exception {
    byte[] png = bytes(image(64, 64, Color.BLUE, BufferedImage.TYPE_INT_RGB), "png");

    assertThatThrownBy(() -> renderer.decode(Arrays.copyOf(png, png.length / 2)))
        .isInstanceOf(IconInputException.class).hasMessageContaining("corrupt or truncated");
    assertThatThrownBy(() -> renderer.decode("<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IconInputException.class).hasMessageContaining("not an image in a supported format");
    byte[] garbage = png.clone();
    Arrays.fill(garbage, 40, garbage.length, (byte) 0x5a);
    assertThatThrownBy(() -> renderer.decode(garbage)).isInstanceOf(IconInputException.class);
  }

  private static BufferedImage image(int w, int h, Color colour, int type) {
    BufferedImage image = new BufferedImage(w, h, type);
    Graphics2D g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return image;
  }

  private static byte[] bytes(BufferedImage image, String format) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }

  private static int alpha(BufferedImage image, int x, int y) {
    return new Color(image.getRGB(x, y), true).getAlpha();
  }
}
