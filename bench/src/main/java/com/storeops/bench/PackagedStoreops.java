package com.storeops.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged storeops jar run the README's way (embedded PostgreSQL and Temporal) in its own
 * process, driven over REST: what a user measures is what the bench measures.
 */
final class PackagedStoreops implements AutoCloseable {

  /** A 2-core machine loaded by other work has taken over 300 s to start storeops. */
  static final int STARTUP_SECONDS = 600;

  private final Process process;
  private final HttpClient http = HttpClient.newHttpClient();
  private final int port;
  private final int pgPort;
  private final Path dir;

  private PackagedStoreops(Process process, int port, int pgPort, Path dir) {
    this.process = process;
    this.port = port;
    this.pgPort = pgPort;
    this.dir = dir;
  }

  /** Starts {@code jar} with its data and log in {@code dir}, plus {@code env}; returns once it answers health. */
  static PackagedStoreops start(Path jar, Path dir, Map<String, String> env) throws Exception {
    return start(jar, dir, env, List.of());
  }

  /** As {@link #start(Path, Path, Map)}, with {@code jvmOptions} before {@code -jar}. */
  static PackagedStoreops start(Path jar, Path dir, Map<String, String> env, List<String> jvmOptions) throws Exception {
    return start(benchJava(), jar, dir, env, jvmOptions);
  }

  /** As {@link #start(Path, Path, Map, List)}, run by the {@code java} launcher given (another JDK's). */
  static PackagedStoreops start(Path java, Path jar, Path dir, Map<String, String> env, List<String> jvmOptions) throws Exception {
    int[] ports = freePorts(3);
    int port = ports[0];
    int pgPort = ports[1];
    List<String> command = new ArrayList<>(List.of(java.toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(dir.resolve("app.log").toFile());
    pb.environment().remove("DATABASE_URL");
    pb.environment().remove("TEMPORAL_ADDRESS");
    pb.environment().put("PORT", String.valueOf(port));
    pb.environment().put("STOREOPS_EMBEDDED_TEMPORAL_PORT", String.valueOf(ports[2]));
    pb.environment().put("STOREOPS_EMBEDDED_PG_PORT", String.valueOf(pgPort));
    pb.environment().put("STOREOPS_EMBEDDED_PG_DIR", dir.resolve("pg").toString());
    // The dev server's state and UI of this run only: other runs on the machine keep theirs.
    pb.environment().put("STOREOPS_TEMPORAL_DIR", dir.resolve("temporal").toString());
    pb.environment().put("STOREOPS_TEMPORAL_UI_PORT", "0");
    pb.environment().putAll(env);
    PackagedStoreops storeops = new PackagedStoreops(pb.start(), port, pgPort, dir);
    try {
      storeops.awaitUp();
    } catch (Exception | Error e) {
      storeops.close();
      throw e;
    }
    return storeops;
  }

  /** The launcher of the JDK running the bench. */
  static Path benchJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** The {@code java} that runs storeops: {@code BENCH_JAVA}, another JDK's (the image's is 25), or the bench's own. */
  static Path storeopsJava() {
    String java = System.getenv("BENCH_JAVA");
    return java == null || java.isBlank() ? benchJava() : Path.of(java);
  }

  /** Whether {@code java} writes the AOT cache the image's training run asks for ({@code -XX:AOTCacheOutput}, JDK 25+). */
  static boolean hasAotCache(Path java) throws IOException, InterruptedException {
    Process flags = new ProcessBuilder(java.toString(), "-XX:+PrintFlagsFinal", "-version").redirectErrorStream(true).start();
    String output = new String(flags.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return flags.waitFor() == 0 && output.contains(" AOTCacheOutput ");
  }

  /** The storeops JVM's process id. */
  long pid() {
    return process.pid();
  }

  /** The embedded PostgreSQL's data directory (its postmaster.pid names the server's process). */
  Path pgDirectory() {
    return dir.resolve("pg");
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
  }

  /** POSTs JSON; answers the operation id of a 200/202 answer. */
  String post(String path, String json) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200 && response.statusCode() != 202) {
      throw new IllegalStateException(path + " refused: " + response.statusCode() + " " + response.body());
    }
    return field(response.body(), "id");
  }

  /** A multipart upload of {@code file} as field {@code file}; answers the operation id. */
  String upload(String path, Path file) throws Exception {
    String boundary = "bench" + System.nanoTime();
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file.getFileName()
        + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
            HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofByteArray(tail)))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IllegalStateException("upload refused: " + response.statusCode() + " " + response.body());
    }
    return field(response.body(), "id");
  }

  /** Polls the operation every 100 ms until it has ended; answers its status. */
  String awaitFinal(String id) throws Exception {
    while (true) {
      String body = http.send(HttpRequest.newBuilder(uri("/api/operations/" + id)).build(), HttpResponse.BodyHandlers.ofString()).body();
      String status = field(body, "status");
      if (List.of("COMPLETED", "FAILED", "CANCELED").contains(status)) {
        return status;
      }
      Thread.sleep(100);
    }
  }

  private void awaitUp() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(STARTUP_SECONDS).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("storeops exited during startup");
      }
      try {
        if (http.send(HttpRequest.newBuilder(uri("/actuator/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("storeops did not start in " + STARTUP_SECONDS + " s");
  }

  /** The directory holding this run's data: {@code pg} and {@code temporal} below it. */
  Path dir() {
    return dir;
  }

  /** GETs {@code path}; answers the body of a 200. */
  String get(String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(path + ": " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in " + json);
    }
    return m.group(1);
  }

  /**
   * {@code n} ports free now, distinct: each socket stays bound until all are chosen, or the kernel
   * could hand the port just closed to the next ask. (Another process may still take one before
   * storeops binds it; the start then fails naming the port in its log.)
   */
  private static int[] freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        sockets.add(new ServerSocket(0));
        ports[i] = sockets.get(i).getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  /**
   * Stops storeops, and its PostgreSQL should storeops not have: pg_ctl starts the server outside
   * storeops' process tree, so a storeops killed here would leave it running on the data directory.
   */
  @Override
  public void close() throws InterruptedException {
    stop(process.toHandle());
    stopPostgres(pgDirectory());
  }

  /** The process {@code postmaster.pid} in {@code dataDirectory} names; empty once the server has stopped. */
  static OptionalLong postmasterPid(Path dataDirectory) {
    try {
      return OptionalLong.of(Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim()));
    } catch (IOException | RuntimeException gone) {
      return OptionalLong.empty(); // no pid file, or the server removed it as it stopped
    }
  }

  /**
   * Stops the PostgreSQL on {@code dataDirectory} if one still runs there. pg_ctl starts the server
   * outside storeops' process tree, so a storeops that was killed, or that left without stopping it,
   * leaves it running.
   */
  static void stopPostgres(Path dataDirectory) throws InterruptedException {
    OptionalLong pid = postmasterPid(dataDirectory);
    Optional<ProcessHandle> server = pid.isPresent() ? ProcessHandle.of(pid.getAsLong()) : Optional.empty();
    if (server.isPresent()) {
      stop(server.get());
    }
  }

  private static void stop(ProcessHandle process) throws InterruptedException {
    process.destroy();
    try {
      process.onExit().get(60, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException stillRunning) {
      process.destroyForcibly();
      process.onExit().join();
    }
  }
}
