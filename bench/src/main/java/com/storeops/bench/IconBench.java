package com.storeops.bench;

import com.storeops.icons.IconRenderer;
import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;

/**
 * Icon generation speed: 200 product photos (1600 × 1200 PNG, served over HTTP on 127.0.0.1) to
 * all six sizes through the packaged storeops — operation, workflow, one activity per product,
 * download, header check, render, store — against a bare loop that decodes and renders the same
 * images in this process on as many threads as the machine has cores.
 */
public final class IconBench {

  static final int PRODUCTS = 200;
  static final int[] SIZES = {16, 32, 50, 100, 160, 240};

  public static void main(String[] args) throws Exception {
    List<byte[]> photos = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      photos.add(photo(i));
    }
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = photos.get(Integer.parseInt(exchange.getRequestURI().getPath().replaceAll("\\D", "")) % photos.size());
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    Path dir = Files.createTempDirectory("storeops-icon-bench");
    Path jar = Path.of(args.length > 0 ? args[0] : "../api/target/storeops.jar");
    try (PackagedStoreops storeops = PackagedStoreops.start(jar, dir, Map.of("STOREOPS_ICON_ALLOW_PRIVATE_URLS", "true"))) {
      Properties user = new Properties();
      user.setProperty("user", "postgres");
      try (Connection c = new org.postgresql.Driver().connect(storeops.jdbcUrl(), user);
          PreparedStatement product = c.prepareStatement("insert into products (handle, title) values (?, ?) returning id");
          PreparedStatement image = c.prepareStatement("insert into product_images (product_id, src) values (?, ?)")) {
        for (int i = 0; i < PRODUCTS; i++) {
          product.setString(1, "icon-bench-" + i);
          product.setString(2, "Icon bench " + i);
          try (var rs = product.executeQuery()) {
            rs.next();
            image.setLong(1, rs.getLong(1));
          }
          image.setString(2, "http://127.0.0.1:" + server.getAddress().getPort() + "/photo-" + i + ".png");
          image.executeUpdate();
        }
      }
      long t0 = System.nanoTime();
      String status = storeops.awaitFinal(storeops.post("/api/operations/icon-generation", "{\"all\": true}"));
      double storeopsSeconds = (System.nanoTime() - t0) / 1e9;

      IconRenderer renderer = new IconRenderer(40_000_000);
      int cores = Runtime.getRuntime().availableProcessors();
      ExecutorService pool = Executors.newFixedThreadPool(cores);
      t0 = System.nanoTime();
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < PRODUCTS; i++) {
        byte[] bytes = photos.get(i % photos.size());
        work.add(pool.submit(() -> {
          BufferedImage decoded = renderer.decode(bytes);
          for (int size : SIZES) {
            renderer.icon(decoded, size);
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get();
      }
      double bareSeconds = (System.nanoTime() - t0) / 1e9;
      pool.shutdown();

      int icons = PRODUCTS * SIZES.length;
      System.out.println();
      System.out.println("== Icon generation (bench/IconBench) ==");
      System.out.printf("%d products × %d sizes from 1600 × 1200 PNG photos; storeops operation ended %s%n", PRODUCTS, SIZES.length, status);
      System.out.printf("%-60s %8s %8s%n", "render", "seconds", "icons/s");
      System.out.printf("%-60s %8.1f %8.0f%n", "storeops: POST → COMPLETED (download, check, render, store)", storeopsSeconds, icons / storeopsSeconds);
      System.out.printf("%-60s %8.1f %8.0f%n", "bare decode + resize loop, " + cores + " threads, in process", bareSeconds, icons / bareSeconds);
      System.out.printf("storeops / bare loop: %.2f × the throughput (goal ≥ 0.8)%n", bareSeconds / storeopsSeconds);
    } finally {
      server.stop(0);
      ((ExecutorService) server.getExecutor()).shutdownNow();
    }
  }

  /** A smooth photo-like image: gradients and circles, so PNG cannot shrink it to nothing. */
  private static byte[] photo(int seed) throws Exception {
    BufferedImage image = new BufferedImage(1600, 1200, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(seed / 8f, 0.6f, 0.9f), 1600, 1200, Color.getHSBColor(seed / 8f + 0.3f, 0.8f, 0.4f)));
    g.fillRect(0, 0, 1600, 1200);
    Random random = new Random(seed);
    for (int i = 0; i < 400; i++) {
      g.setColor(new Color(random.nextInt(0xffffff)));
      g.fillOval(random.nextInt(1600), random.nextInt(1200), 20 + random.nextInt(120), 20 + random.nextInt(120));
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
