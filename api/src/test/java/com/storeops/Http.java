package com.storeops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client for tests: what a user's curl sees, status, content type and body. */
public final class Http {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String base;

  public Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public record Response(int status, String contentType, String body, java.net.http.HttpHeaders headers) {
    public JsonNode json() {
      return JSON.readTree(body);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  public Response get(String path) {
    return get(path, Map.of());
  }

  public Response get(String path, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    headers.forEach(request::header);
    return send(request);
  }

  public Response post(String path, String json) {
    return post(path, json, Map.of());
  }

  public Response post(String path, String json, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(request::header);
    return send(request);
  }

  /** A file as the whole request body, as {@code curl --data-binary @file} sends it; {@code chunked} leaves its length unsaid. */
  public Response send(String path, String contentType, byte[] body, boolean chunked, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", contentType)
        .POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))
            : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return send(request);
  }

  /** A multipart/form-data upload of one file, as a browser form or curl -F sends it. */
  public Response upload(String path, String field, String fileName, byte[] content) {
    return upload(path, field, fileName, content, Map.of());
  }

  public Response upload(String path, String field, String fileName, byte[] content, Map<String, String> headers) {
    String boundary = "storeops-" + System.nanoTime();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName
        + "\"\r\nContent-Type: text/csv\r\n\r\n";
    body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    headers.forEach(request::header);
    return send(request);
  }

  /** Polls GET /api/operations/{id} until {@code condition} holds (60 s at most); returns that state. */
  public JsonNode awaitOperation(String id, Predicate<JsonNode> condition) {
    return await("operation " + id, () -> get("/api/operations/" + id).json(), condition);
  }

  /** Polls {@code value} every 50 ms until {@code condition} holds (60 s at most); returns that value. */
  public static <T> T await(String what, Supplier<T> value, Predicate<T> condition) {
    Instant deadline = Instant.now().plusSeconds(60);
    T last = value.get();
    while (!condition.test(last)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(what + " never reached the condition: " + last);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      last = value.get();
    }
    return last;
  }

  /** Waits until the operation has ended: completed, failed or cancelled. */
  public JsonNode awaitEnded(String id) {
    return awaitOperation(id, op -> Set.of("COMPLETED", "FAILED", "CANCELED").contains(op.get("status").asString()));
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
