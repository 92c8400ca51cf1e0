package com.storeops.api.training;

import com.storeops.api.ApiSettings;
import com.storeops.config.InvalidSettingException;
import com.storeops.worker.Roles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A training run for the JVM's AOT cache (JDK 25+; the image's, see the Dockerfile): with
 * STOREOPS_TRAINING_PRODUCTS above 0, storeops, once ready, imports a generated Shopify export of that
 * many products through its own API — as a form upload, the dashboard's way, then the same file
 * again as a {@code text/csv} body, a script's way, every product then an update — and exits: 0
 * when both wrote every product, 1 otherwise. It refuses to start without both roles or with
 * DATABASE_URL or TEMPORAL_ADDRESS set: it writes a generated catalogue, for the embedded ones only (a build that trains must fail loudly, not ship a cache of
 * an error path). Started with {@code -XX:AOTCacheOutput}, the JVM then writes the classes the run
 * loaded and the method profiles its imports gathered, so a start with {@code -XX:AOTCache}
 * compiles the import's code without first running it slowly to learn it (docs/benchmarks.md).
 */
@Component
class TrainingRun implements ApplicationListener<ApplicationReadyEvent> {

  private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "CANCELED");
  private static final Duration POLL = Duration.ofMillis(200);
  /** Far above an import of any training size here; an import stuck past it fails the run (and the image build) instead of hanging it. */
  private static final Duration DEADLINE = Duration.ofMinutes(30);

  private final int products;
  private final ApiSettings api;

  TrainingRun(@Value("${storeops.training.products:}") String products, Roles roles, @Value("${storeops.database.url:}") String database,
      @Value("${storeops.temporal.address:}") String temporal, ApiSettings api) {
    this.products = products(products);
    this.api = api;
    if (this.products == 0) {
      return;
    }
    if (!roles.api() || !roles.worker()) {
      // The run imports through its own API and waits for its own worker.
      throw new InvalidSettingException("STOREOPS_TRAINING_PRODUCTS", "a training run needs both roles, STOREOPS_ROLES=api,worker (was "
          + roles + ")");
    }
    if (!database.isBlank() || !temporal.isBlank()) {
      // Its products would land in a real catalogue and its workflows on a real server.
      throw new InvalidSettingException("STOREOPS_TRAINING_PRODUCTS", "a training run writes a generated catalogue, so it runs only"
          + " on the embedded PostgreSQL and Temporal: unset DATABASE_URL and TEMPORAL_ADDRESS");
    }
  }

  /** STOREOPS_TRAINING_PRODUCTS: blank or 0 serves (the default); a whole number above 0 trains. */
  static int products(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      int products = Integer.parseInt(value.strip());
      if (products >= 0) {
        return products;
      }
    } catch (NumberFormatException notANumber) {
      // named below
    }
    throw new InvalidSettingException("STOREOPS_TRAINING_PRODUCTS", "must be a whole number of products, 0 to serve (was '" + value + "')");
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    if (products == 0) {
      return; // serving, the default
    }
    int port = ((WebServerApplicationContext) event.getApplicationContext()).getWebServer().getPort();
    boolean completed = false;
    try {
      completed = train(URI.create("http://127.0.0.1:" + port));
    } catch (IOException | RuntimeException e) {
      log.error("training: failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int code = completed ? 0 : 1;
    System.exit(SpringApplication.exit(event.getApplicationContext(), () -> code)); // the context closed first: a clean stop
  }

  /** Both imports, in turn; true when both ended COMPLETED with every product written. */
  boolean train(URI base) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient(); // here, not a field: a serving storeops keeps no selector thread for it
    Path file = Files.createTempFile("storeops-training", ".csv");
    try {
      long rows = TrainingCatalogue.write(file, products);
      log.info("training: importing {} products ({} rows) twice, as a form and as a text/csv body", products, rows);
      String boundary = "storeops-training";
      byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"training.csv\"\r\n"
          + "Content-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8);
      byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
      BodyPublisher form = BodyPublishers.concat(BodyPublishers.ofByteArray(head), BodyPublishers.ofFile(file),
          BodyPublishers.ofByteArray(tail));
      boolean asForm = imported(http, base.resolve("/api/operations/import"), "multipart/form-data; boundary=" + boundary, form);
      boolean asBody = imported(http, base.resolve("/api/operations/import?fileName=training.csv"), "text/csv",
          BodyPublishers.ofFile(file));
      return asForm && asBody;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private boolean imported(HttpClient http, URI uri, String contentType, BodyPublisher body) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    JsonNode started = send(http, HttpRequest.newBuilder(uri).header("Content-Type", contentType).POST(body));
    String id = started.path("id").asString();
    JsonNode operation = started;
    while (!ENDED.contains(operation.path("status").asString())) {
      if (System.nanoTime() - t0 > DEADLINE.toNanos()) {
        throw new IOException("import " + id + " has not ended within " + DEADLINE + ": " + operation.path("status").asString());
      }
      Thread.sleep(POLL.toMillis()); // polling our own REST API, as a user would; the import runs on the worker
      operation = send(http, HttpRequest.newBuilder(uri.resolve("/api/operations/" + id)).GET());
    }
    String status = operation.path("status").asString();
    JsonNode counts = operation.path("counts");
    log.info("training: import {} ({}) ended {} in {} ms: {} products written, {} failed, {} skipped", id,
        contentType.split(";")[0], status, Duration.ofNanos(System.nanoTime() - t0).toMillis(), counts.path("succeeded").asLong(),
        counts.path("failed").asLong(), counts.path("skipped").asLong());
    // A product refused would train the error path instead of the one every import takes.
    return status.equals("COMPLETED") && counts.path("succeeded").asLong() == products && counts.path("failed").asLong() == 0
        && counts.path("skipped").asLong() == 0;
  }

  private JsonNode send(HttpClient http, HttpRequest.Builder request) throws IOException, InterruptedException {
    if (api.keyRequired()) {
      request.header("Authorization", "Bearer " + api.key());
    }
    var response = http.send(request.build(), BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IOException(response.request().uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
