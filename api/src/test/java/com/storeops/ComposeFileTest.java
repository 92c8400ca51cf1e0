package com.storeops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The repository's docker-compose.yml and Dockerfile, checked by parsing them: no Docker engine is
 * needed. Values are read as written, so {@code ${DB_POOL_SIZE:-5}} counts as its default, 5.
 */
class ComposeFileTest {

  /** The scale-out the compose file documents ({@code docker compose up --scale worker=3}). */
  private static final int DOCUMENTED_WORKER_REPLICAS = 3;

  /** temporalio/server runs frontend, history, matching and worker in one process, a pool each. */
  private static final int TEMPORAL_SERVICES = 4;

  /** PostgreSQL's superuser_reserved_connections default. */
  private static final int SUPERUSER_RESERVED = 3;

  private static final Pattern DEFAULTED_VARIABLE = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)}");

  private static Path composeFile;
  private static Map<String, Object> root;
  private static Map<String, Object> services;

  @BeforeAll
  static void parseComposeFile() throws IOException {
    composeFile = findUpwards("docker-compose.yml");
    try (Reader reader = Files.newBufferedReader(composeFile)) {
      root = new Yaml().load(reader);
      services = map(root.get("services"));
    }
  }

  @Test
  void composeFileFollowsTheComposeSpecWithoutTopLevelVersion() {
    assertThat(root).containsKey("services").doesNotContainKey("version");
  }

  @Test
  void composeFileDefinesPostgresTemporalTemporalUiApiAndWorker() {
    assertThat(services).containsKeys("postgres", "temporal", "temporal-ui", "api", "worker");
  }

  @Test
  void workerAndApiRunTheSameImageWithDifferentRoles() {
    Map<String, Object> api = service("api");
    Map<String, Object> worker = service("worker");

    assertThat(api.get("image")).isEqualTo("storeops:latest");
    assertThat(worker.get("image")).isEqualTo(api.get("image"));
    assertThat(buildContext(api)).isEqualTo(".");
    if (worker.containsKey("build")) {
      assertThat(buildContext(worker)).isEqualTo(buildContext(api));
    }
    assertThat(composeFile.resolveSibling("Dockerfile")).exists();

    assertThat(env("api").get("STOREOPS_ROLES")).isEqualTo("api");
    assertThat(env("worker").get("STOREOPS_ROLES")).isEqualTo("worker");
  }

  @Test
  void apiIsLimitedToHalfACpuAnd768M() {
    Map<String, Object> limits = limits("api");
    assertThat(String.valueOf(limits.get("cpus"))).isEqualTo("0.5");
    assertThat(String.valueOf(limits.get("memory"))).isEqualTo("768M");
  }

  @Test
  void workerIsLimitedToOnePointTwoCpusAnd2G() {
    Map<String, Object> limits = limits("worker");
    assertThat(String.valueOf(limits.get("cpus"))).isEqualTo("1.2");
    assertThat(String.valueOf(limits.get("memory"))).isEqualTo("2G");
  }

  @Test
  void apiAndWorkerConnectToThePostgresAndTemporalServices() {
    for (String name : List.of("api", "worker")) {
      Map<String, String> env = env(name);
      assertThat(env.get("DATABASE_URL"))
          .as("%s DATABASE_URL", name)
          .startsWith("postgresql://")
          .contains("@postgres:5432/");
      assertThat(resolveDefaults(env.get("DATABASE_URL")))
          .as("%s DATABASE_URL with defaults", name)
          .isEqualTo("postgresql://storeops:storeops@postgres:5432/storeops");
      assertThat(env.get("TEMPORAL_ADDRESS")).as("%s TEMPORAL_ADDRESS", name).isEqualTo("temporal:7233");
    }
  }

  @Test
  void workerPublishesNoHostPortSoReplicasDoNotClash() {
    assertThat(service("worker")).doesNotContainKey("ports");
  }

  @Test
  void temporalPersistsToThePostgresService() {
    Map<String, String> env = env("temporal");
    assertThat(String.valueOf(service("temporal").get("image"))).matches("temporalio/server:\\d+\\.\\d+\\.\\d+");
    assertThat(env.get("DB")).isEqualTo("postgres12");
    assertThat(env.get("POSTGRES_SEEDS")).isEqualTo("postgres");
    assertThat(env.get("DB_PORT")).isEqualTo("5432");
  }

  /** auto-setup is deprecated; Temporal's own compose files run a schema job before the server. */
  @Test
  void temporalSchemaIsSetUpByAnAdminToolsJobOfTheServersVersionBeforeTheServerStarts() {
    String serverVersion = tagOf(service("temporal"));
    assertThat(String.valueOf(service("temporal-schema").get("image"))).isEqualTo("temporalio/admin-tools:" + serverVersion);
    assertThat(condition("temporal", "temporal-schema")).isEqualTo("service_completed_successfully");
    assertThat(condition("temporal-schema", "postgres")).isEqualTo("service_healthy");
    assertThat(composeFile.resolveSibling("deploy/temporal/setup-schema.sh")).isRegularFile();
  }

  @Test
  void namespaceJobCreatesTheAppsNamespaceWithARetentionAndItsSearchAttributes() {
    Map<String, String> env = env("temporal-namespace");
    assertThat(String.valueOf(service("temporal-namespace").get("image"))).startsWith("temporalio/admin-tools:");
    assertThat(env.get("TEMPORAL_NAMESPACE")).isEqualTo(env("api").get("TEMPORAL_NAMESPACE")).isEqualTo("${TEMPORAL_NAMESPACE:-default}");
    assertThat(resolveDefaults(env.get("TEMPORAL_RETENTION"))).matches("\\d+[hd]");
    assertThat(env.get("TEMPORAL_SEARCH_ATTRIBUTES").split(" ")).containsExactlyInAnyOrder("OperationType", "OperationId", "Shop");
    assertThat(condition("temporal-namespace", "temporal")).isEqualTo("service_healthy");
    assertThat(composeFile.resolveSibling("deploy/temporal/setup-namespace.sh")).isRegularFile();
  }

  @Test
  void temporalServerIsHealthCheckedAndReadsTheDynamicConfigFile() {
    assertThat(map(service("temporal").get("healthcheck"))).containsKey("test");
    String path = env("temporal").get("DYNAMIC_CONFIG_FILE_PATH");
    assertThat(path).isNotBlank();
    assertThat(list(service("temporal").get("volumes")))
        .anyMatch(volume -> volume.startsWith("./deploy/temporal/dynamicconfig.yaml:/etc/temporal/" + path + ":"));
    assertThat(composeFile.resolveSibling("deploy/temporal/dynamicconfig.yaml")).isRegularFile();
  }

  @Test
  void apiWorkerAndUiWaitForAHealthyTemporalAndTheNamespace() {
    for (String name : List.of("api", "worker")) {
      assertThat(condition(name, "postgres")).as(name).isEqualTo("service_healthy");
      assertThat(condition(name, "temporal")).as(name).isEqualTo("service_healthy");
      assertThat(condition(name, "temporal-namespace")).as(name).isEqualTo("service_completed_successfully");
    }
    assertThat(condition("temporal-ui", "temporal")).isEqualTo("service_healthy");
  }

  @Test
  void postgresAndTemporalHaveResourceLimits() {
    for (String name : List.of("postgres", "temporal")) {
      assertThat(limits(name)).as(name).containsKeys("cpus", "memory");
    }
  }

  /** Temporal's gRPC port and UI have no authentication here: only the api faces the network. */
  @Test
  void onlyTheApiIsPublishedBeyondLocalhost() {
    services.forEach((name, definition) -> {
      Object ports = map(definition).get("ports");
      if (ports == null || name.equals("api")) {
        return;
      }
      assertThat(list(ports)).as("%s ports", name).allMatch(port -> port.startsWith("127.0.0.1:"));
    });
    assertThat(list(service("api").get("ports"))).contains("8080:8080");
  }

  @Test
  void apiAndWorkerGetTheApiKeyFromTheEnvironment() {
    for (String name : List.of("api", "worker")) {
      assertThat(env(name).get("STOREOPS_API_KEY")).as(name).isEqualTo("${STOREOPS_API_KEY:-}");
    }
  }

  @Test
  void noCorsSettingForTheUi() {
    assertThat(env("temporal-ui")).doesNotContainKey("TEMPORAL_CORS_ORIGINS");
  }

  @Test
  void temporalUiPointsAtTemporalAndIsPublishedOnLocalhost8088() {
    assertThat(env("temporal-ui").get("TEMPORAL_ADDRESS")).isEqualTo("temporal:7233");
    assertThat(list(service("temporal-ui").get("ports"))).contains("127.0.0.1:8088:8080");
  }

  @Test
  void prometheusScrapesTheApiEveryWorkerReplicaAndTheTemporalServer() throws IOException {
    Map<String, Object> prometheus;
    try (Reader reader = Files.newBufferedReader(composeFile.resolveSibling("deploy/prometheus/prometheus.yml"))) {
      prometheus = new Yaml().load(reader);
    }
    String scrapeConfigs = String.valueOf(prometheus.get("scrape_configs"));
    assertThat(scrapeConfigs).contains("api:8080", "/actuator/prometheus", "names=[worker]", "temporal:8000");
    assertThat(env("temporal").get("PROMETHEUS_ENDPOINT")).endsWith(":8000");
    assertThat(list(service("prometheus").get("volumes")))
        .anyMatch(volume -> volume.startsWith("./deploy/prometheus/prometheus.yml:"));
    assertThat(list(service("grafana").get("volumes")))
        .anyMatch(volume -> volume.startsWith("./deploy/grafana/dashboards:"))
        .anyMatch(volume -> volume.startsWith("./deploy/grafana/provisioning:"));
  }

  @Test
  void imageSizesTheHeapFromTheContainerMemoryLimit() throws IOException {
    String dockerfile = Files.readString(composeFile.resolveSibling("Dockerfile"));
    Matcher toolOptions = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(dockerfile);
    assertThat(toolOptions.find()).as("ENV JAVA_TOOL_OPTIONS=\"...\" in the Dockerfile").isTrue();
    assertThat(toolOptions.group(1)).contains("-XX:MaxRAMPercentage=");
  }

  @Test
  void postgresMaxConnectionsCoversThreeWorkersTheApiAndTemporal() {
    int maxConnections = postgresMaxConnections();

    int workerPool = poolOf("worker");
    int apiPool = poolOf("api");
    Object replicas = map(service("worker").get("deploy")).get("replicas");
    int workers = Math.max(DOCUMENTED_WORKER_REPLICAS, replicas == null ? 1 : intValue(replicas));

    // Temporal's pool defaults are 20 (SQL_MAX_CONNS) and 10 (SQL_VIS_MAX_CONNS).
    Map<String, String> temporal = env("temporal");
    int temporalPerService =
        intValue(temporal.getOrDefault("SQL_MAX_CONNS", "20"))
            + intValue(temporal.getOrDefault("SQL_VIS_MAX_CONNS", "10"));
    int temporalMargin = TEMPORAL_SERVICES * temporalPerService;

    int needed = workers * workerPool + apiPool + temporalMargin + SUPERUSER_RESERVED;

    assertThat(workerPool).as("worker DB_POOL_SIZE + DB_MAX_OVERFLOW").isEqualTo(15);
    assertThat(apiPool).as("api DB_POOL_SIZE + DB_MAX_OVERFLOW").isEqualTo(15);
    assertThat(maxConnections)
        .as("max_connections vs %d workers × %d + api %d + Temporal %d + reserved %d",
            workers, workerPool, apiPool, temporalMargin, SUPERUSER_RESERVED)
        .isGreaterThanOrEqualTo(needed);
  }

  /** The fleet lease refuses a process past max_connections − STOREOPS_FLEET_RESERVE: both must agree with the above. */
  @Test
  void fleetReserveCoversTemporalAndTheSuperuserSlotsAndLeavesRoomForTheDocumentedScale() {
    Map<String, String> temporal = env("temporal");
    int temporalPools = TEMPORAL_SERVICES
        * (intValue(temporal.get("SQL_MAX_CONNS")) + intValue(temporal.get("SQL_VIS_MAX_CONNS")));
    for (String name : List.of("api", "worker")) {
      int reserve = intValue(env(name).get("STOREOPS_FLEET_RESERVE"));
      assertThat(reserve).as("%s STOREOPS_FLEET_RESERVE", name).isGreaterThanOrEqualTo(temporalPools + SUPERUSER_RESERVED);
      assertThat(postgresMaxConnections() - reserve).as("room for storeops")
          .isGreaterThanOrEqualTo(poolOf("api") + DOCUMENTED_WORKER_REPLICAS * poolOf("worker"));
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** The depends_on condition of one service on another (short list form counts as service_started). */
  private static String condition(String name, String dependency) {
    Object dependsOn = service(name).get("depends_on");
    if (dependsOn instanceof List<?>) {
      assertThat(list(dependsOn)).as("%s depends_on", name).contains(dependency);
      return "service_started";
    }
    Map<String, Object> entry = map(map(dependsOn).get(dependency));
    return String.valueOf(entry.get("condition"));
  }

  private static String tagOf(Map<String, Object> service) {
    String image = String.valueOf(service.get("image"));
    return image.substring(image.lastIndexOf(':') + 1);
  }

  private static int postgresMaxConnections() {
    Object command = service("postgres").get("command");
    String text = command instanceof List<?> parts ? String.join(" ", parts.stream().map(String::valueOf).toList())
        : String.valueOf(command);
    Matcher matcher = Pattern.compile("max_connections=(\\d+)").matcher(text);
    assertThat(matcher.find()).as("postgres command sets max_connections: %s", text).isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  /** DB_POOL_SIZE + DB_MAX_OVERFLOW of a service, with the app's defaults (5, 10) when unset. */
  private static int poolOf(String name) {
    Map<String, String> env = env(name);
    return intValue(env.getOrDefault("DB_POOL_SIZE", "5")) + intValue(env.getOrDefault("DB_MAX_OVERFLOW", "10"));
  }

  private static Map<String, Object> limits(String name) {
    return map(map(map(service(name).get("deploy")).get("resources")).get("limits"));
  }

  private static Object buildContext(Map<String, Object> service) {
    Object build = service.get("build");
    return build instanceof Map<?, ?> ? map(build).get("context") : build;
  }

  private static Map<String, Object> service(String name) {
    assertThat(services).containsKey(name);
    return map(services.get(name));
  }

  /** A service's environment, whether written as a map or as a list of NAME=value. */
  private static Map<String, String> env(String name) {
    Object environment = service(name).get("environment");
    Map<String, String> result = new LinkedHashMap<>();
    if (environment instanceof Map<?, ?> entries) {
      entries.forEach((k, v) -> result.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
    } else if (environment instanceof List<?> entries) {
      for (Object entry : entries) {
        String text = String.valueOf(entry);
        int eq = text.indexOf('=');
        result.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? null : text.substring(eq + 1));
      }
    }
    return result;
  }

  /** {@code ${NAME:-default}} becomes default; a plain number stays itself. */
  private static String resolveDefaults(String value) {
    return DEFAULTED_VARIABLE.matcher(value).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
  }

  private static int intValue(Object value) {
    return Integer.parseInt(resolveDefaults(String.valueOf(value)).trim());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  private static List<String> list(Object value) {
    assertThat(value).isInstanceOf(List.class);
    return ((List<?>) value).stream().map(String::valueOf).toList();
  }

  /** Surefire runs in the module directory; the compose file is in the project root above it. */
  private static Path findUpwards(String fileName) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(fileName);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(fileName + " not found in " + Path.of("").toAbsolutePath() + " or above");
  }
}
