package com.storeops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.Http;
import com.storeops.icons.ImageDownloads;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard (deploy/grafana/dashboards/storeops.json) asks only for series the app
 * really exports: after an import has run, every metric name in every panel's PromQL is on
 * /actuator/prometheus. A renamed meter or a histogram that is not published fails here instead of
 * leaving an empty panel.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "storeops.icons.allow-private-urls=true")
@ActiveProfiles("test")
class DashboardMetricsTest {

  /** PromQL words that are not metric names: aggregations, functions, modifiers. */
  private static final Set<String> PROMQL_WORDS = Set.of(
      "sum", "max", "min", "avg", "count", "by", "without", "on", "ignoring", "group_left", "group_right",
      "rate", "irate", "increase", "histogram_quantile", "and", "or", "unless", "offset", "bool", "topk",
      "bottomk", "deriv", "delta", "abs", "clamp_min", "clamp_max", "vector", "scalar", "time");
  private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  @LocalServerPort int port;
  @Autowired ImageDownloads downloads;
  Http http;

  @BeforeEach
  void client() {
    http = new Http(port);
  }

  @Test
  void everyMetricTheDashboardQueriesIsExportedOnceAnOperationRan() throws Exception {
    runAnImport();
    downloadAnImage();
    Set<String> exported = exportedNames(http.get("/actuator/prometheus").body());

    List<String> queries = dashboardQueries();
    assertThat(queries).hasSizeGreaterThanOrEqualTo(8);
    Set<String> queried = new TreeSet<>();
    queries.forEach(query -> queried.addAll(metricNames(query)));

    assertThat(queried).as("metric names in the dashboard")
        .contains("storeops_budget_held", "storeops_budget_waiting", "hikaricp_connections_active",
            "hikaricp_connections_pending", "hikaricp_connections_timeout_total",
            "temporal_activity_schedule_to_start_latency_seconds_bucket",
            "temporal_activity_execution_latency_seconds_bucket", "storeops_operations",
            "storeops_operation_items_total", "storeops_fleet_lease", "storeops_fleet_room",
            "http_client_requests_seconds_count", "http_client_requests_seconds_max");
    assertThat(exported).as("exported on /actuator/prometheus").containsAll(queried);
  }

  @Test
  void operationsByStatusAndImportedRowsCountTheImportThatRan() {
    runAnImport();
    String scrape = http.get("/actuator/prometheus").body();

    assertThat(value(scrape, "storeops_operations", "status=\"COMPLETED\"", "type=\"import\"")).isGreaterThanOrEqualTo(1);
    assertThat(value(scrape, "storeops_operation_items_total", "type=\"import\"")).isGreaterThanOrEqualTo(2);
  }

  /** The PromQL parser in miniature: drop labels, ranges, grouping clauses and strings; the rest are names. */
  static Set<String> metricNames(String query) {
    String bare = GROUPING.matcher(RANGE.matcher(LABEL_MATCHERS.matcher(query.replaceAll("\"[^\"]*\"", ""))
        .replaceAll("")).replaceAll("")).replaceAll("");
    Set<String> names = new TreeSet<>();
    Matcher identifiers = IDENTIFIER.matcher(bare);
    while (identifiers.find()) {
      if (!PROMQL_WORDS.contains(identifiers.group())) {
        names.add(identifiers.group());
      }
    }
    return names;
  }

  @Test
  void theMiniatureParserFindsNamesInsideFunctionsAndIgnoresLabels() {
    assertThat(metricNames("histogram_quantile(0.95, sum by (le, task_queue) (rate(a_seconds_bucket{x=\"y\"}[5m])))"))
        .containsExactly("a_seconds_bucket");
    assertThat(metricNames("sum by (status) (max by (type, status) (b)) / c")).containsExactly("b", "c");
  }

  private void runAnImport() {
    String p = "m" + UUID.randomUUID().toString().substring(0, 8);
    String csv = "Handle,Title,Vendor,Variant SKU,Variant Price\n"
        + p + "-a,A,Acme," + p + "-A1,10.00\n"
        + p + "-b,B,Acme," + p + "-B1,11.00\n";
    Http.Response started = http.upload("/api/operations/import", "file", "metrics.csv", csv.getBytes(StandardCharsets.UTF_8));
    assertThat(started.status()).isEqualTo(202);
    JsonNode done = http.awaitEnded(started.json().get("id").asString());
    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
  }

  /** One outgoing exchange, so that the outgoing-HTTP panel's series exist. */
  private void downloadAnImage() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, 1);
      exchange.getResponseBody().write(1);
      exchange.close();
    });
    server.start();
    try {
      assertThat(downloads.fetch("http://127.0.0.1:" + server.getAddress().getPort() + "/a.png")).hasSize(1);
    } finally {
      server.stop(0);
    }
  }

  private static List<String> dashboardQueries() throws IOException {
    JsonNode dashboard = JsonMapper.builder().build()
        .readTree(Files.readString(DeployFiles.projectRoot().resolve("deploy/grafana/dashboards/storeops.json")));
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        queries.add(target.get("expr").asString());
      }
    }
    return queries;
  }

  private static Set<String> exportedNames(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        Matcher name = IDENTIFIER.matcher(line);
        if (name.lookingAt()) {
          names.add(name.group());
        }
      }
    }
    return names;
  }

  private static double value(String scrape, String name, String... labels) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name + "{") && List.of(labels).stream().allMatch(line::contains)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError(name + " with " + List.of(labels) + " not exported");
  }
}
