package com.storeops;

import com.storeops.db.EmbeddedPostgresServer;
import com.storeops.temporal.EmbeddedTemporalServer;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.History;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The world of the fault tests. The test JVM owns PostgreSQL (a password user on a data directory
 * under target/) and Temporal (the test server on loopback), so the packaged storeops jar, run as a
 * child process, can be killed — or the database restarted under it — while the state that must
 * survive lives on. Every REST call carries the API key and its answer is kept, so that a test can
 * search what it received; every wait polls a condition until a deadline.
 */
final class FaultHarness implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Set<String> FINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");

  final Path dir;
  final String dbPassword = "Pg-" + UUID.randomUUID().toString().replace("-", "");
  final String apiKey = "so-key-" + UUID.randomUUID().toString().replace("-", "");
  private final int pgPort;
  private final int httpPort = freePort();
  private final Path log;
  private final EmbeddedTemporalServer temporal;
  private final WorkflowServiceStubs stubs;
  private final List<String> received = Collections.synchronizedList(new ArrayList<>());
  private EmbeddedPostgresServer pg;
  private Process app;

  FaultHarness(String name) throws IOException, SQLException {
    this(name, false);
  }

  /** {@code workersDie}: storeops will be killed, so its workflows must not wait on its sticky queue (see {@link StickyQueuesOff}). */
  FaultHarness(String name, boolean workersDie) throws IOException, SQLException {
    temporal = EmbeddedTemporalServer.start(0, workersDie ? List.of(new StickyQueuesOff()) : List.of());
    stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.target()).build());
    dir = Path.of("target", "faults", name + "-" + System.currentTimeMillis()).toAbsolutePath();
    Files.createDirectories(dir);
    log = dir.resolve("storeops.log");
    pgPort = freePort();
    pg = EmbeddedPostgresServer.start(dir.resolve("pg"), pgPort);
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("create role storeops login password '" + dbPassword + "'");
      s.execute("create database storeops owner storeops");
      // zonky's initdb trusts every local connection; storeops must really authenticate with its password.
      Files.writeString(pg.directory().resolve("pg_hba.conf"), """
          local all all trust
          host all postgres 127.0.0.1/32 trust
          host all all 127.0.0.1/32 scram-sha-256
          host all all ::1/128 scram-sha-256
          """);
      s.execute("select pg_reload_conf()");
    }
  }

  /** Starts the packaged jar against the test's PostgreSQL and Temporal; returns once /actuator/health is UP. */
  void startStoreops(Map<String, String> settings) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-jar", Path.of("target", "storeops.jar").toAbsolutePath().toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("SHOPIFY_") || k.startsWith("STOREOPS_") || k.startsWith("TEMPORAL_")
        || k.equals("DATABASE_URL"));
    env.put("PORT", String.valueOf(httpPort));
    env.put("DATABASE_URL", "postgresql://storeops:" + dbPassword + "@127.0.0.1:" + pgPort + "/storeops");
    env.put("TEMPORAL_ADDRESS", temporal.target());
    env.put("STOREOPS_API_KEY", apiKey);
    env.putAll(settings);
    Process started = pb.start();
    app = started;
    await("storeops UP", Duration.ofSeconds(90), () -> {
      if (!started.isAlive()) {
        throw new AssertionError("storeops exited with " + started.exitValue() + ", log: " + log);
      }
      return get("/actuator/health");
    }, r -> r.status() == 200 && "UP".equals(r.json().path("status").asString()));
  }

  /** SIGKILL: no shutdown hook, no graceful drain — what the OOM killer or a lost node does. */
  void killStoreops() throws InterruptedException {
    app.destroyForcibly();
    if (!app.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("storeops survived SIGKILL for 30 s");
    }
  }

  long pid() {
    return app.pid();
  }

  /** Stops PostgreSQL (pg_ctl stop -m fast: every connection is cut) and starts it on the same directory and port. */
  void stopPostgres() {
    pg.close();
  }

  void startPostgres() {
    pg = EmbeddedPostgresServer.start(dir.resolve("pg"), pgPort);
  }

  /** The storeops database as its superuser, for the tests' own checks. */
  Connection db() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), "postgres", "");
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + pgPort + "/storeops";
  }

  WorkflowClient temporal() {
    return WorkflowClient.newInstance(stubs);
  }

  record Run(String workflowId, History history) {}

  /** Every workflow run the Temporal server knows, running or closed, with its full history. */
  List<Run> histories() {
    List<WorkflowExecution> runs = new ArrayList<>();
    var service = stubs.blockingStub();
    var open = service.listOpenWorkflowExecutions(
        ListOpenWorkflowExecutionsRequest.newBuilder().setNamespace("default").setMaximumPageSize(100_000).build());
    open.getExecutionsList().forEach(e -> runs.add(e.getExecution()));
    var closed = service.listClosedWorkflowExecutions(
        ListClosedWorkflowExecutionsRequest.newBuilder().setNamespace("default").setMaximumPageSize(100_000).build());
    closed.getExecutionsList().forEach(e -> runs.add(e.getExecution()));
    WorkflowClient client = temporal();
    return runs.stream().map(r -> new Run(r.getWorkflowId(), client.fetchHistory(r.getWorkflowId(), r.getRunId()).getHistory())).toList();
  }

  record Response(int status, String body) {
    JsonNode json() {
      return JSON.readTree(body);
    }
  }

  Response get(String path) {
    return send(request(path).GET());
  }

  Response post(String path, String json) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Response post(String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::setHeader); // may replace the API key
    return send(request);
  }

  /** A multipart upload of {@code file} as the form field {@code file}, streamed from disk. */
  Response upload(String path, Path file) throws IOException {
    String boundary = "faults" + System.nanoTime();
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file.getFileName()
        + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    return send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
            HttpRequest.BodyPublishers.ofFile(file),
            HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"))));
  }

  /** Every response body received so far. */
  List<String> received() {
    return List.copyOf(received);
  }

  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** Polls GET /api/operations/{id} until {@code condition} holds; failed requests (a database outage) count as not yet. */
  JsonNode awaitOperation(String id, Duration limit, Predicate<JsonNode> condition) {
    return await("operation " + id, limit, () -> get("/api/operations/" + id), r -> r.status() == 200 && condition.test(r.json()))
        .json();
  }

  JsonNode awaitEnded(String id, Duration limit) {
    return awaitOperation(id, limit, FaultHarness::ended);
  }

  /** The status in upper case, {@code CANCELED} read as {@code CANCELLED}: the API's spelling is changing. */
  static String status(JsonNode operation) {
    String s = operation.path("status").asString("").toUpperCase(Locale.ROOT);
    return s.equals("CANCELED") ? "CANCELLED" : s;
  }

  static boolean ended(JsonNode operation) {
    return FINAL.contains(status(operation));
  }

  /** Polls {@code value} every 100 ms until {@code condition} holds; a value that throws counts as not yet. */
  static <T> T await(String what, Duration limit, Supplier<T> value, Predicate<T> condition) {
    Instant deadline = Instant.now().plus(limit);
    Object last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        T v = value.get();
        if (condition.test(v)) {
          return v;
        }
        last = v;
      } catch (RuntimeException e) {
        last = e;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(what + " not reached within " + limit + "; last: " + last);
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(40)).build(),
          HttpResponse.BodyHandlers.ofString());
      received.add(r.body());
      return new Response(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(e.toString(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).header("Authorization", "Bearer " + apiKey);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    if (app != null && app.isAlive()) {
      app.destroy();
      if (!app.waitFor(45, TimeUnit.SECONDS)) {
        app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    stubs.shutdownNow();
    temporal.close();
    pg.close();
    // Keep only the log: the database and the generated files run to hundreds of MB.
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(log) && !p.equals(dir)) {
          Files.delete(p);
        }
      }
    }
  }
}
