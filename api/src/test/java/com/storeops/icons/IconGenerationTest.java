package com.storeops.icons;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.Http;
import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** Icon generation through the API and the generation queue, images served from 127.0.0.1. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "storeops.icons.allow-private-urls=true")
@ActiveProfiles("test")
class IconGenerationTest {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  private Http http;
  private HttpServer images;

  @BeforeEach
  void start() throws Exception {
    http = new Http(port);
    images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] png = png(300, 150);
    images.createContext("/ok.png", exchange -> {
      exchange.sendResponseHeaders(200, png.length);
      exchange.getResponseBody().write(png);
      exchange.close();
    });
    images.createContext("/broken.png", exchange -> {
      byte[] half = java.util.Arrays.copyOf(png, png.length / 2);
      exchange.sendResponseHeaders(200, half.length);
      exchange.getResponseBody().write(half);
      exchange.close();
    });
    images.start();
  }

  @AfterEach
  void stop() {
    images.stop(0);
  }

  @Test
  void iconsAreRenderedServedWithAnEtagAndNotRedrawnWhenTheSourceIsUnchanged() throws Exception {
    String p = "i" + UUID.randomUUID().toString().substring(0, 8);
    long withImage = product(p + "-a", "Alpha Mug", "http://127.0.0.1:" + images.getAddress().getPort() + "/ok.png");
    long withoutImage = product(p + "-b", "Beta Cap", null);
    long broken = product(p + "-c", "Gamma", "http://127.0.0.1:" + images.getAddress().getPort() + "/broken.png");
    String body = "{\"productIds\": [" + withImage + ", " + withoutImage + ", " + broken + "], \"sizes\": [\"icon\", \"small\"]}";

    JsonNode done = http.awaitEnded(http.post("/api/operations/icon-generation", body).json().get("id").asString());

    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(done.at("/counts/succeeded").asLong()).isEqualTo(2);
    assertThat(done.at("/counts/failed").asLong()).as("the truncated image, as its product's error").isEqualTo(1);
    HttpResponse<byte[]> icon = get("/api/products/" + withImage + "/icons/small.png", null);
    assertThat(icon.statusCode()).isEqualTo(200);
    assertThat(icon.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(icon.headers().firstValue("Cache-Control").orElse("")).contains("max-age");
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(icon.body()));
    assertThat(decoded.getWidth()).isEqualTo(100);
    assertThat(new Color(decoded.getRGB(50, 2), true).getAlpha()).as("transparent band above a 2:1 image").isZero();
    String etag = icon.headers().firstValue("ETag").orElseThrow();
    assertThat(get("/api/products/" + withImage + "/icons/small.png", etag).statusCode()).isEqualTo(304);
    assertThat(get("/api/products/" + withoutImage + "/icons/icon.png", null).statusCode()).as("monogram").isEqualTo(200);
    assertThat(get("/api/products/" + broken + "/icons/icon.png", null).statusCode()).isEqualTo(404);
    assertThat(http.get("/api/operations/" + done.get("id").asString() + "/errors").body()).contains("corrupt or truncated");

    JsonNode again = http.awaitEnded(http.post("/api/operations/icon-generation", body).json().get("id").asString());
    assertThat(again.at("/counts/skipped").asLong()).as("unchanged sources are not redrawn").isEqualTo(2);
    JsonNode forced = http.awaitEnded(http.post("/api/operations/icon-generation",
        body.replace("}", ", \"force\": true}")).json().get("id").asString());
    assertThat(forced.at("/counts/succeeded").asLong()).isEqualTo(2);
  }

  @Test
  void badRequestsNameTheField() {
    assertThat(http.post("/api/operations/icon-generation", "{\"sizes\": [\"icon\"]}").json().get("field").asString()).isEqualTo("productIds");
    assertThat(http.post("/api/operations/icon-generation", "{\"all\": true, \"sizes\": [\"huge\"]}").json().get("field").asString())
        .isEqualTo("sizes");
    assertThat(http.post("/api/operations/icon-generation", "{\"all\": true, \"colour\": 1}").json().get("field").asString())
        .isEqualTo("colour");
  }

  private long product(String handle, String title, String image) {
    long id = jdbc.sql("insert into products (handle, title) values (?, ?) returning id").param(handle).param(title).query(Long.class).single();
    if (image != null) {
      jdbc.sql("insert into product_images (product_id, src) values (?, ?)").param(id).param(image).update();
    }
    return id;
  }

  private HttpResponse<byte[]> get(String path, String ifNoneMatch) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (ifNoneMatch != null) {
      request.header("If-None-Match", ifNoneMatch);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] png(int w, int h) throws Exception {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, w, h);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
