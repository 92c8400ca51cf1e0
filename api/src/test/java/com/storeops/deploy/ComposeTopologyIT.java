package com.storeops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.storeops.Catalog;
import com.storeops.Http;
import com.storeops.shopify.FakeShopify;
import com.storeops.temporal.DevTemporalServer;
import com.storeops.temporal.TemporalCli;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The compose topology without a Docker engine: PostgreSQL started with the postgres service's own
 * {@code command} settings and credentials, Temporal's dev server standing in for the temporal
 * image, and the packaged jar started three times — one api and two worker replicas — each with
 * exactly the {@code environment} docker-compose.yml gives its service, {@code ${VAR:-default}}
 * resolved as compose resolves it, only the compose network's host names and the container port
 * rewritten to local ones. Through the api an import, a batch update and a Shopify sync (against
 * the fake shop) complete; prometheus.yml's scrape jobs name exactly these services and ports, and
 * each process answers the job's metrics path with storeops' own series.
 */
class ComposeTopologyIT {

  private static final Duration STARTUP_LIMIT = Duration.ofMinutes(10);
  private static final Duration OPERATION_LIMIT = Duration.ofSeconds(180);
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");
  private static final String SHOP = "fake.myshopify.com";
  private static final String TOKEN = "shpat_compose_topology";
  private static final Path JAR = Path.of("target", "storeops.jar").toAbsolutePath();

  /** One storeops process standing in for a compose container; relaunched as the restart policy would. */
  private static final class Container {
    final String service;
    final String name;
    final int port;
    final Path log;
    final ProcessBuilder launcher;
    Process process;
    int restarts;

    Container(String service, String name, int port, Path log, ProcessBuilder launcher) throws IOException {
      this.service = service;
      this.name = name;
      this.port = port;
      this.log = log;
      this.launcher = launcher;
      this.process = launcher.start();
    }

    Http http() {
      return new Http(port);
    }
  }

  @Test
  void composeServicesAsLocalProcessesRunEveryKindOfOperationAndAnswerPrometheus() throws Exception {
    Optional<Path> cli = TemporalCli.locate(System.getenv(TemporalCli.SETTING));
    assumeTrue(cli.isPresent(), "SKIPPED: needs Temporal's CLI (`temporal server start-dev`) on PATH");
    Path root = DeployFiles.projectRoot();
    Map<String, Object> services = map(yaml(root.resolve("docker-compose.yml")).get("services"));
    Map<String, Object> prometheus = yaml(root.resolve("deploy/prometheus/prometheus.yml"));
    Path dir = Path.of("target", "compose-topology", String.valueOf(System.currentTimeMillis())).toAbsolutePath();
    Files.createDirectories(dir);

    // What an .env file next to docker-compose.yml would hold for this shop; everything else keeps
    // the compose file's defaults.
    Map<String, String> dotEnv = Map.of("SHOPIFY_SHOP", SHOP, "SHOPIFY_ACCESS_TOKEN", TOKEN);
    Map<String, String> postgresEnv = environment(services, "postgres", dotEnv);
    List<Container> containers = new ArrayList<>();
    try (EmbeddedPostgres pg = postgres(services, postgresEnv);
        DevTemporalServer temporal = DevTemporalServer.start(new DevTemporalServer.Options(cli.get(), dir.resolve("temporal"), 0, 0,
            environment(services, "api", dotEnv).get("TEMPORAL_NAMESPACE"), STARTUP_LIMIT));
        FakeShopify shop = new FakeShopify(1e9, 1e9, TOKEN)) {
      shop.addProducts(20);
      // The compose network's names and ports, and where the same services answer here.
      Map<String, String> hosts = Map.of("postgres:5432", "127.0.0.1:" + pg.getPort(), "temporal:7233", temporal.target());
      Map<String, String> beyondCompose = Map.of(
          "SHOPIFY_BASE_URL", shop.baseUrl().toString(), // the fake stands in for https://<shop>
          "SHOPIFY_SYNC_INTERVAL", "0s", // only the sync this test starts
          "SHOPIFY_BULK_POLL_INTERVAL", "1s");

      containers.add(launch(dir, services, "api", "api", dotEnv, hosts, beyondCompose));
      containers.add(launch(dir, services, "worker", "worker-1", dotEnv, hosts, beyondCompose));
      containers.add(launch(dir, services, "worker", "worker-2", dotEnv, hosts, beyondCompose));
      awaitReady(containers, readinessPath(services), restartPolicy(services, "api"), restartPolicy(services, "worker"));

      Http api = containers.get(0).http();
      Path csv = dir.resolve("catalog.csv");
      Catalog.writeCsv(csv, "ct-", 40, 2);
      String imported = started(api.upload("/api/operations/import", "file", "catalog.csv", Files.readAllBytes(csv)));
      assertThat(awaitEnded(api, imported).path("status").asString()).as("import").isEqualTo("COMPLETED");
      String batch = started(api.post("/api/operations/batch-update",
          "{\"filter\": {\"vendor\": \"ct-vendor\"}, \"changes\": {\"price\": {\"add\": 1}}}"));
      String sync = started(api.post("/api/operations/shopify-sync", "{\"shop\": \"" + SHOP + "\", \"mode\": \"full\"}"));
      assertThat(awaitEnded(api, batch).path("status").asString()).as("batch update").isEqualTo("COMPLETED");
      assertThat(awaitEnded(api, sync).path("status").asString()).as("sync").isEqualTo("COMPLETED");
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/"
          + postgresEnv.get("POSTGRES_DB"), "postgres", "")) {
        assertThat(Catalog.stored(c, "ct-%")).as("every imported price raised by one")
            .isEqualTo(Catalog.generated("ct-", 40, 2, BigDecimal.ONE));
        assertThat(Catalog.stored(c, "shop-product-%").products()).as("products synced from the shop").isEqualTo(20);
      }

      Map<String, String> scrapes = scrapeAsPrometheusWould(prometheus, services, containers, dotEnv);
      for (Container c : containers) {
        assertThat(scrapes.get(c.name)).as("%s's scrape", c.name)
            .contains("storeops_fleet_lease", "storeops_operations", "hikaricp_connections_active");
      }
      assertThat(scrapes.get("api")).as("the api runs no activity").doesNotContain("temporal_activity_execution_latency_seconds_count");
      double activities = scrapes.entrySet().stream().filter(e -> e.getKey().startsWith("worker"))
          .mapToDouble(e -> sum(e.getValue(), "temporal_activity_execution_latency_seconds_count")).sum();
      assertThat(activities).as("activities the worker replicas ran").isPositive();
      for (Container c : containers.subList(1, 3)) {
        assertThat(scrapes.get(c.name)).as("%s polls the queues", c.name).contains("storeops_budget_held");
      }
    } finally {
      for (Container c : containers) {
        stop(c);
      }
    }
  }

  /**
   * prometheus.yml's jobs, each target resolved to the compose service it names: a storeops job
   * targets a storeops service on the container port compose gives it (PORT), Temporal's job the
   * port of the temporal service's PROMETHEUS_ENDPOINT; every storeops process is then fetched at
   * its job's metrics path. Returns each process's scrape.
   */
  private static Map<String, String> scrapeAsPrometheusWould(Map<String, Object> prometheus, Map<String, Object> services,
      List<Container> containers, Map<String, String> dotEnv) {
    Map<String, String> scrapes = new LinkedHashMap<>();
    Set<String> scraped = new TreeSet<>();
    for (Object job : list(prometheus.get("scrape_configs"))) {
      Map<String, Object> config = map(job);
      String path = String.valueOf(config.getOrDefault("metrics_path", "/metrics"));
      for (String target : targets(config)) {
        String service = target.substring(0, target.indexOf(':'));
        String port = target.substring(target.indexOf(':') + 1);
        assertThat(services).as("job %s scrapes a compose service", config.get("job_name")).containsKey(service);
        scraped.add(service);
        if (service.equals("temporal")) {
          assertThat(environment(services, service, dotEnv).get("PROMETHEUS_ENDPOINT")).endsWith(":" + port);
          continue;
        }
        assertThat(environment(services, service, dotEnv).get("PORT")).as("%s's container port", service).isEqualTo(port);
        List<Container> replicas = containers.stream().filter(c -> c.service.equals(service)).toList();
        assertThat(replicas).as("processes of %s", service).isNotEmpty();
        for (Container c : replicas) {
          Http.Response r = c.http().get(path);
          assertThat(r.status()).as("%s %s", c.name, path).isEqualTo(200);
          scrapes.put(c.name, r.body());
        }
      }
    }
    assertThat(scraped).as("services Prometheus scrapes").containsExactlyInAnyOrder("api", "worker", "temporal");
    return scrapes;
  }

  /** host:port of a static target or, for DNS discovery (every replica of a service), name:port. */
  private static List<String> targets(Map<String, Object> job) {
    List<String> targets = new ArrayList<>();
    for (Object s : list(job.getOrDefault("static_configs", List.of()))) {
      list(map(s).get("targets")).forEach(t -> targets.add(String.valueOf(t)));
    }
    for (Object d : list(job.getOrDefault("dns_sd_configs", List.of()))) {
      Map<String, Object> dns = map(d);
      list(dns.get("names")).forEach(n -> targets.add(n + ":" + dns.get("port")));
    }
    return targets;
  }

  /**
   * PostgreSQL as the postgres service runs it: its {@code command}'s {@code -c name=value}
   * settings (max_connections: the fleet lease refuses processes past it) and the user, password
   * and database its environment creates.
   */
  private static EmbeddedPostgres postgres(Map<String, Object> services, Map<String, String> env) throws Exception {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
    Matcher setting = Pattern.compile("-c\\s+([a-z_]+)=(\\S+)").matcher(String.valueOf(map(services.get("postgres")).get("command")));
    int settings = 0;
    while (setting.find()) {
      builder.setServerConfig(setting.group(1), setting.group(2));
      settings++;
    }
    assertThat(settings).as("postgres command settings").isPositive();
    EmbeddedPostgres pg = builder.start();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("create role " + env.get("POSTGRES_USER") + " login password '" + env.get("POSTGRES_PASSWORD") + "'");
      s.execute("create database " + env.get("POSTGRES_DB") + " owner " + env.get("POSTGRES_USER"));
    }
    return pg;
  }

  private static Container launch(Path dir, Map<String, Object> services, String service, String name, Map<String, String> dotEnv,
      Map<String, String> hosts, Map<String, String> beyondCompose) throws IOException {
    Map<String, String> composeEnv = environment(services, service, dotEnv);
    int port = freePort();
    Map<String, String> local = new LinkedHashMap<>();
    composeEnv.forEach((key, value) -> {
      String rewritten = value;
      for (var host : hosts.entrySet()) {
        rewritten = rewritten.replace(host.getKey(), host.getValue());
      }
      local.put(key, rewritten);
    });
    assertThat(local).as("no compose host name left in %s's environment", service)
        .allSatisfy((k, v) -> assertThat(v).doesNotContainPattern("[@/]postgres:|^temporal:|[@/]temporal:"));
    local.put("PORT", String.valueOf(port));
    local.putAll(beyondCompose);

    Path home = dir.resolve(name);
    Files.createDirectories(home);
    Path log = dir.resolve(name + ".log");
    // The Dockerfile's JVM options with the service's memory limit as the machine's memory.
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:MaxRAM=" + memoryLimit(services, service), "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError",
        "-jar", JAR.toString())
        .directory(home.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("SHOPIFY_") || k.startsWith("STOREOPS_") || k.startsWith("TEMPORAL_")
        || k.startsWith("DB_") || k.equals("DATABASE_URL") || k.equals("JAVA_TOOL_OPTIONS"));
    env.putAll(local);
    return new Container(service, name, port, log, pb);
  }

  /** The compose healthcheck's URL path: what docker waits on before it calls a container healthy. */
  private static String readinessPath(Map<String, Object> services) {
    Object test = map(map(services.get("api")).get("healthcheck")).get("test");
    Matcher url = Pattern.compile("http://localhost:\\d+(/\\S+)").matcher(String.valueOf(test));
    assertThat(url.find()).as("healthcheck URL in %s", test).isTrue();
    return url.group(1);
  }

  /**
   * Waits for every process's compose healthcheck path to answer 200. A process that exits first
   * is started again, as Docker does under {@code restart: unless-stopped} (on a loaded machine the
   * Temporal client's first call can time out); a second exit fails the test: that is a crash loop.
   */
  private static void awaitReady(List<Container> containers, String path, String... restartPolicies) throws Exception {
    assertThat(restartPolicies).as("compose restart policies").containsOnly("unless-stopped");
    Instant deadline = Instant.now().plus(STARTUP_LIMIT);
    Set<Container> waiting = new LinkedHashSet<>(containers);
    while (!waiting.isEmpty() && Instant.now().isBefore(deadline)) {
      for (Container c : List.copyOf(waiting)) {
        if (!c.process.isAlive()) {
          assertThat(c.restarts).as("%s exited with %d again, a crash loop:%n%s", c.name, c.process.exitValue(),
              Files.readString(c.log)).isZero();
          System.out.printf("ComposeTopologyIT: %s exited with %d before it was ready; started again (restart: unless-stopped)%n",
              c.name, c.process.exitValue());
          c.restarts++;
          c.process = c.launcher.start();
        }
        try {
          if (c.http().get(path).status() == 200) {
            waiting.remove(c);
          }
        } catch (IllegalStateException notListeningYet) {
          // the port opens late in startup
        }
      }
      Thread.sleep(200);
    }
    if (!waiting.isEmpty()) {
      Container late = waiting.iterator().next();
      throw new AssertionError(late.name + " not ready within " + STARTUP_LIMIT + ":\n" + Files.readString(late.log));
    }
  }

  private static String started(Http.Response response) {
    assertThat(response.status()).as("%s", response.body()).isEqualTo(202);
    return response.json().get("id").asString();
  }

  private static JsonNode awaitEnded(Http api, String id) throws InterruptedException {
    Instant deadline = Instant.now().plus(OPERATION_LIMIT);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      last = api.get("/api/operations/" + id).json();
      if (Set.of("COMPLETED", "FAILED", "CANCELED", "CANCELLED").contains(last.path("status").asString())) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("operation " + id + " not ended within " + OPERATION_LIMIT + ": " + last);
  }

  private static void stop(Container c) throws InterruptedException {
    c.process.destroy();
    if (!c.process.waitFor(45, TimeUnit.SECONDS)) {
      c.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String restartPolicy(Map<String, Object> services, String service) {
    return String.valueOf(map(services.get(service)).getOrDefault("restart", "no"));
  }

  /** A service's environment with compose's interpolation: {@code ${VAR}}, {@code ${VAR:-default}}, {@code $$}. */
  static Map<String, String> environment(Map<String, Object> services, String service, Map<String, String> dotEnv) {
    Map<String, String> env = new LinkedHashMap<>();
    map(map(services.get(service)).get("environment")).forEach((k, v) -> env.put(k, interpolate(v == null ? "" : String.valueOf(v), dotEnv)));
    return env;
  }

  static String interpolate(String value, Map<String, String> dotEnv) {
    String resolved = VARIABLE.matcher(value).replaceAll(m -> {
      String set = dotEnv.get(m.group(1));
      boolean colon = m.group(0).contains(":-");
      String fallback = m.group(2) == null ? "" : m.group(2);
      return Matcher.quoteReplacement(set == null || (colon && set.isEmpty()) ? fallback : set);
    });
    return resolved.replace("$$", "$");
  }

  private static String memoryLimit(Map<String, Object> services, String service) {
    Map<String, Object> deploy = map(map(services.get(service)).get("deploy"));
    return String.valueOf(map(map(deploy.get("resources")).get("limits")).get("memory"));
  }

  private static double sum(String scrape, String name) {
    return scrape.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private static Map<String, Object> yaml(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      return new Yaml().load(reader);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  private static List<?> list(Object value) {
    assertThat(value).isInstanceOf(List.class);
    return (List<?>) value;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
