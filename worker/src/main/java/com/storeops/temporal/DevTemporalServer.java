package com.storeops.temporal;

import com.storeops.config.InvalidSettingException;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's own dev server ({@code temporal server start-dev}) as a child process storeops owns:
 * loopback only, its state in {@code temporal.db} and its output in {@code temporal.log} under one
 * directory, the search attributes storeops sets registered at start, stopped with storeops.
 *
 * <p>{@code temporal.pid} in that directory names the server and the storeops process that owns it,
 * so the server a killed storeops left behind is recognised on the next start: a live process whose
 * command line is {@code start-dev} on the same state file. If its owner is gone, the server is
 * stopped and a new one started on the same file (its settings may have changed since; the state
 * carries over); if its owner still runs (the api and the worker as two processes in one directory),
 * the server is used as it is and left to its owner. Either way one server per state file; a lock
 * file makes storeops processes starting at the same moment take these decisions one at a time.
 */
public final class DevTemporalServer implements LocalTemporalServer {

  public static final String PORT_SETTING = "STOREOPS_EMBEDDED_TEMPORAL_PORT";
  public static final String UI_PORT_SETTING = "STOREOPS_TEMPORAL_UI_PORT";
  public static final String DIRECTORY_SETTING = "STOREOPS_TEMPORAL_DIR";
  public static final String DB_FILE = "temporal.db";
  public static final String PID_FILE = "temporal.pid";
  public static final String LOG_FILE = "temporal.log";
  private static final String LOCK_FILE = "temporal.lock";

  private static final Logger log = LoggerFactory.getLogger(DevTemporalServer.class);
  static final String LOOPBACK = "127.0.0.1";
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);
  private static final int LOG_TAIL_LINES = 20;
  private static final int PORT_RACE_ATTEMPTS = 3;

  /** Servers this JVM runs, by state file: a second Spring context in the same JVM shares one. */
  private static final Map<Path, DevTemporalServer> RUNNING = new ConcurrentHashMap<>();

  /**
   * @param cli the {@code temporal} executable
   * @param directory where the state file, the pid file and the log live
   * @param port gRPC port (0 picks a free one)
   * @param uiPort Web UI port (0 picks a free one)
   * @param namespace the namespace storeops uses; created at start unless it is {@code default}
   * @param startupTimeout how long to wait for the server to answer
   */
  public record Options(Path cli, Path directory, int port, int uiPort, String namespace, Duration startupTimeout) {}

  private final ProcessHandle process;
  private final Path db;
  private final Path pidFile;
  private final String target;
  private final String uiUrl;
  private final boolean owned;
  private boolean closed;

  private DevTemporalServer(ProcessHandle process, Path db, Path pidFile, String target, String uiUrl, boolean owned) {
    this.process = process;
    this.db = db;
    this.pidFile = pidFile;
    this.target = target;
    this.uiUrl = uiUrl;
    this.owned = owned;
  }

  /** Starts a dev server on the state file in {@code options.directory()}, or takes over the one running there. */
  public static synchronized DevTemporalServer start(Options options) {
    Path directory = options.directory().toAbsolutePath().normalize();
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new InvalidSettingException(DIRECTORY_SETTING, "cannot create " + directory + ": " + e.getMessage(), e);
    }
    // One storeops at a time decides what runs on this state file: an api and a worker started
    // together in one directory then share one server instead of racing for its port.
    try (FileChannel lockFile = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = lockFile.lock()) {
      return startLocked(options, directory);
    } catch (IOException e) {
      throw new InvalidSettingException(DIRECTORY_SETTING, "cannot lock " + directory.resolve(LOCK_FILE) + ": " + e.getMessage(), e);
    }
  }

  private static DevTemporalServer startLocked(Options options, Path directory) {
    Path db = directory.resolve(DB_FILE);
    Path pidFile = directory.resolve(PID_FILE);
    Path logFile = directory.resolve(LOG_FILE);

    DevTemporalServer inThisJvm = RUNNING.get(db);
    if (inThisJvm != null && inThisJvm.process.isAlive()) {
      return new DevTemporalServer(inThisJvm.process, db, pidFile, inThisJvm.target, inThisJvm.uiUrl, false);
    }
    Optional<PidFile> previous = PidFile.read(pidFile);
    if (previous.isPresent()) {
      PidFile left = previous.get();
      Optional<ProcessHandle> server = ProcessHandle.of(left.pid()).filter(ProcessHandle::isAlive).filter(p -> runsOn(p, db));
      if (server.isPresent()) {
        boolean ownerRuns = left.owner() != ProcessHandle.current().pid()
            && ProcessHandle.of(left.owner()).filter(ProcessHandle::isAlive).filter(DevTemporalServer::isJvm).isPresent();
        if (ownerRuns) {
          awaitReady(server.get(), left.target(), options, logFile);
          log.info(
              "TEMPORAL_ADDRESS is not set: using the Temporal dev server (pid {}) that storeops pid {} runs on {} at {}; "
                  + "Web UI at {}. It stops when that storeops stops.",
              left.pid(), left.owner(), db, left.target(), left.uiUrl());
          return new DevTemporalServer(server.get(), db, pidFile, left.target(), left.uiUrl(), false);
        }
        log.info(
            "Stopping the Temporal dev server (pid {}) left running on {} by storeops pid {}, which is gone; "
                + "a new one starts on the same state file.",
            left.pid(), db, left.owner());
        stop(server.get());
      }
      deleteQuietly(pidFile);
    }
    // A server on this file that no pid file names (the file was deleted): stopped too, as two
    // servers must never share one state file.
    ProcessHandle.allProcesses().filter(p -> runsOn(p, db)).forEach(unnamed -> {
      log.info("Stopping the Temporal dev server (pid {}) running on {} without a pid file; a new one starts there.",
          unnamed.pid(), db);
      stop(unnamed);
    });

    for (int attempt = 1; ; attempt++) {
      int port = options.port() == 0 ? DevServerPorts.free() : DevServerPorts.requireFree(options.port(), PORT_SETTING);
      int uiPort = options.uiPort() == 0 ? DevServerPorts.free() : DevServerPorts.requireFree(options.uiPort(), UI_PORT_SETTING);
      String target = LOOPBACK + ":" + port;
      String uiUrl = "http://" + LOOPBACK + ":" + uiPort;

      Instant launched = Instant.now();
      long logStart = DevServerPorts.logSize(logFile);
      ProcessHandle server = launch(options, command(options, db, port, uiPort), logFile);
      new PidFile(server.pid(), ProcessHandle.current().pid(), target, uiUrl).write(pidFile);
      try {
        awaitReady(server, target, options, logFile);
      } catch (RuntimeException e) {
        boolean exited = !server.isAlive();
        stop(server);
        deleteQuietly(pidFile);
        if (exited && attempt < PORT_RACE_ATTEMPTS && DevServerPorts.lostARace(logFile, logStart)) {
          // The CLI chooses its HTTP, metrics and internal ports itself, after we chose ours, and
          // any program may take a free port before it is listened on. Nobody asked for those
          // ports, so fresh ones are as good; a port set by the user is checked again above.
          log.info("The Temporal dev server found a port taken as it started (attempt {} of {}); starting it again on other free ports.",
              attempt, PORT_RACE_ATTEMPTS);
          continue;
        }
        throw e;
      }
      return started(server, db, pidFile, target, uiUrl, launched, logFile);
    }
  }

  private static DevTemporalServer started(
      ProcessHandle server, Path db, Path pidFile, String target, String uiUrl, Instant launched, Path logFile) {
    log.info(
        "TEMPORAL_ADDRESS is not set: started Temporal's dev server (temporal server start-dev, pid {}) on {} "
            + "in {} ms, its state in {}; Web UI at {}; its log in {}.",
        server.pid(), target, Duration.between(launched, Instant.now()).toMillis(), db, uiUrl, logFile);
    DevTemporalServer started = new DevTemporalServer(server, db, pidFile, target, uiUrl, true);
    RUNNING.put(db, started);
    // Stops the server with the JVM even when nobody closes it (a test JVM, a context that never
    // closes); only SIGKILL leaves it behind, for the pid file to recognise.
    Runtime.getRuntime().addShutdownHook(new Thread(started::close, "temporal-dev-server-stop"));
    return started;
  }

  static List<String> command(Options options, Path db, int port, int uiPort) {
    List<String> command = new ArrayList<>(List.of(
        options.cli().toString(), "server", "start-dev",
        "--ip", LOOPBACK,
        "--port", String.valueOf(port),
        "--ui-port", String.valueOf(uiPort),
        "--db-filename", db.toString(),
        // Every workflow start, task and completion is a commit, one at a time. SQLite's default
        // rollback journal creates, syncs and deletes a journal file for each; a write-ahead log
        // appends and syncs once (the dev server's CPU per start halved, docs/benchmarks.md). FULL
        // keeps each commit durable across a crash of the machine, not just of the process.
        "--sqlite-pragma", "journal_mode=wal",
        "--sqlite-pragma", "synchronous=full"));
    for (String attribute : TemporalSearchAttributes.KEYWORDS) {
      command.add("--search-attribute");
      command.add(attribute + "=Keyword");
    }
    if (options.namespace() != null && !options.namespace().equals("default")) {
      command.add("--namespace");
      command.add(options.namespace());
    }
    return command;
  }

  private static ProcessHandle launch(Options options, List<String> command, Path logFile) {
    try {
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .start();
      process.getOutputStream().close();
      return process.toHandle();
    } catch (IOException e) {
      throw new InvalidSettingException(TemporalCli.SETTING, "cannot run " + options.cli() + ": " + e.getMessage(), e);
    }
  }

  /** Waits until the server serves storeops' namespace, or fails naming what went wrong. */
  private static void awaitReady(ProcessHandle server, String target, Options options, Path logFile) {
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    Instant deadline = Instant.now().plus(options.startupTimeout());
    DescribeNamespaceRequest describe = DescribeNamespaceRequest.newBuilder().setNamespace(options.namespace()).build();
    try {
      while (true) {
        try {
          stubs.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS).describeNamespace(describe);
          return;
        } catch (StatusRuntimeException notYet) {
          if (Instant.now().isAfter(deadline)) {
            throw new InvalidSettingException(TemporalCli.SETTING,
                "temporal server start-dev (pid " + server.pid() + ") did not serve namespace '" + options.namespace()
                    + "' at " + target + " within " + options.startupTimeout().toSeconds() + " s (last answer: "
                    + notYet.getStatus() + ")" + logTail(logFile) + howToAvoid());
          }
        }
        if (exitedWithin(server, Duration.ofMillis(200))) {
          throw new InvalidSettingException(TemporalCli.SETTING,
              "temporal server start-dev exited before it was ready" + logTail(logFile) + howToAvoid());
        }
      }
    } finally {
      stubs.shutdownNow();
    }
  }

  private static String howToAvoid() {
    return "\nSet TEMPORAL_ADDRESS to a running Temporal server, or " + TemporalCli.SETTING
        + "=none for the in-memory test server.";
  }

  private static boolean exitedWithin(ProcessHandle process, Duration wait) {
    try {
      process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException stillRunning) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Temporal dev server", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String logTail(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return "; the end of its log (" + logFile + "):\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "; its log " + logFile + " cannot be read: " + e.getMessage();
    }
  }

  /** Whether a pid names a JVM still, not another program that got the pid of a dead storeops. */
  private static boolean isJvm(ProcessHandle process) {
    return process.info().command().map(command -> command.endsWith("java")).orElse(true);
  }

  /** Whether {@code process} is {@code temporal server start-dev} on the state file {@code db}. */
  static boolean runsOn(ProcessHandle process, Path db) {
    List<String> arguments = process.info().arguments().map(Arrays::asList).orElse(List.of());
    int file = arguments.indexOf("--db-filename");
    return arguments.contains("start-dev") && file >= 0 && file + 1 < arguments.size()
        && arguments.get(file + 1).equals(db.toString());
  }

  /** Ends the server and anything it started: politely first, as it then closes its state file cleanly. */
  static void stop(ProcessHandle server) {
    List<ProcessHandle> tree = server.descendants().collect(Collectors.toCollection(ArrayList::new));
    tree.add(server);
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : tree) {
      if (!exitedWithin(p, STOP_GRACE)) {
        log.warn("Temporal dev server process {} did not stop within {} s; killing it", p.pid(), STOP_GRACE.toSeconds());
        p.destroyForcibly();
        exitedWithin(p, STOP_GRACE);
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("Could not delete {}: {}", file, e.getMessage());
    }
  }

  @Override
  public TemporalServerKind kind() {
    return TemporalServerKind.DEV_SERVER;
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public String uiUrl() {
    return uiUrl;
  }

  /** The server's process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether this instance started the server (and so stops it), rather than using one another storeops runs. */
  public boolean owned() {
    return owned;
  }

  public Path db() {
    return db;
  }

  @Override
  public synchronized void close() {
    if (!owned || closed) {
      return;
    }
    closed = true;
    RUNNING.remove(db, this);
    stop(process);
    deleteQuietly(pidFile);
  }

  /** What {@code temporal.pid} holds: the server, its owner, and where it answers. */
  record PidFile(long pid, long owner, String target, String uiUrl) {

    static Optional<PidFile> read(Path file) {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      try {
        Map<String, String> values = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
            .filter(line -> line.contains("="))
            .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1), (a, b) -> b));
        return Optional.of(new PidFile(
            Long.parseLong(values.get("pid")), Long.parseLong(values.get("owner")), values.get("target"), values.get("ui")));
      } catch (IOException | RuntimeException unreadable) {
        log.warn("Ignoring unreadable {}: {}", file, unreadable.toString());
        return Optional.empty();
      }
    }

    void write(Path file) {
      String text = "pid=" + pid + "\nowner=" + owner + "\ntarget=" + target + "\nui=" + uiUrl + "\n";
      try {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, text, StandardCharsets.UTF_8);
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
    }
  }
}
