package com.storeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard at {@code /} in Debian's headless Chromium, against the real API, workflows and
 * PostgreSQL: what an operator sees is what the API says. The API key is set, so every POST the
 * page makes must carry it. Uses the system's chromedriver, so Selenium Manager never downloads a
 * driver; without the browser the tests are skipped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "storeops.api.key=" + DashboardBrowserTest.KEY)
@ActiveProfiles("test")
class DashboardBrowserTest {

  static final String KEY = "dashboard-test-key";
  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + KEY);

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir static Path profile;
  static ChromeDriver browser;

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @TempDir Path files;
  Http http;
  WebDriverWait wait;
  /** Where {@link #screenshot} saves the page, success or failure. */
  String screenshot = "dashboard.png";

  /**
   * Started by the first test, not in {@code @BeforeAll}: Surefire reports a class aborted there as
   * "Tests run: 0" without the reason, while an assumption failing per test is reported as skipped
   * with its message.
   */
  private static void startBrowserOnce() {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no " + CHROMIUM + " or " + CHROMEDRIVER + ": install Debian's chromium and chromium-driver to run the dashboard test");
    if (browser == null) {
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      // Offline and quiet: no background requests, no first-run UI, a profile of its own.
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
          "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--user-data-dir=" + profile, "--window-size=1400,1300");
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, Level.ALL);
      options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
      // The driver's path given here is what keeps Selenium Manager from looking for (and downloading) one.
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
      browser = new ChromeDriver(service, options);
    }
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @BeforeEach
  void openDashboard() {
    startBrowserOnce();
    http = new Http(port);
    wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    wait.ignoring(StaleElementReferenceException.class); // a row leaves the page when it drops out of the newest 50
    browser.get("http://127.0.0.1:" + port + "/");
    // An operator who already gave the key in this tab; the key test starts without it.
    browser.executeScript("sessionStorage.setItem('storeops.apiKey', arguments[0])", KEY);
    browser.navigate().refresh();
  }

  @AfterEach
  void screenshot() throws IOException {
    if (browser == null) {
      return; // skipped: no browser
    }
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target", screenshot), browser.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void uploadedCsvShowsProgressUntilCompletedWithTheFilesCounts() throws IOException {
    browser.manage().logs().get(LogType.BROWSER); // drain what earlier tests left
    String p = "dash" + UUID.randomUUID().toString().substring(0, 8);
    // Three products: a (two variants) and c import, b has a bad price and is reported.
    Path csv = files.resolve(p + ".csv");
    // a's two variants differ by their option value, as Shopify requires.
    Files.writeString(csv, "Handle,Title,Vendor,Option1 Name,Option1 Value,Variant SKU,Variant Price\n"
        + p + "-a,A,Acme,Size,S," + p + "-A1,10.00\n"
        + p + "-a,,,,M," + p + "-A2,11.00\n"
        + p + "-b,B,Acme,,," + p + "-B1,oops\n"
        + p + "-c,C,Acme,,," + p + "-C1,3.50\n");

    WebElement form = byTestId(browser, "import-form");
    byTestId(form, "import-file").sendKeys(csv.toString());
    byTestId(form, "import-submit").click();
    String id = wait.until(d -> byTestId(form, "import-output").getDomAttribute("data-operation-id"));
    assertThat(text(form, "import-output")).isEqualTo("Started: import " + id.substring(0, 8) + ".");
    By row = By.cssSelector("tr[data-operation-id='" + id + "']");
    wait.withMessage(() -> "operation " + id + " shown completed at 100 %: " + browser.findElement(row).getText())
        .until(d -> "COMPLETED".equals(text(d.findElement(row), "op-status"))
            && "100".equals(byTestId(d.findElement(row), "op-progress").getDomProperty("value")));

    WebElement shown = browser.findElement(row);
    assertThat(text(shown, "op-type")).isEqualTo("import");
    assertThat(text(shown, "op-succeeded")).isEqualTo("2");
    assertThat(text(shown, "op-failed")).isEqualTo("1");
    assertThat(text(shown, "op-skipped")).isEqualTo("0");
    assertThat(text(shown, "op-percent")).isEqualTo("100 % (3 of 3)");
    assertThat(byTestId(shown, "op-finished").getDomAttribute("datetime")).isNotBlank();
    assertThat(byTestId(shown, "op-cancel").isDisplayed()).as("no cancel once completed").isFalse();
    assertThat(byTestId(shown, "op-revert").isDisplayed()).as("imports are not revertible").isFalse();
    WebElement errors = byTestId(shown, "op-errors");
    assertThat(errors.isDisplayed()).isTrue();
    assertThat(errors.getDomAttribute("href")).isEqualTo("/api/operations/" + id + "/errors");
    assertThat(http.get("/api/operations/" + id + "/errors", AUTH).body()).contains("line 4,Variant Price,oops");

    JsonNode api = http.get("/api/operations/" + id, AUTH).json();
    assertThat(api.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(api.at("/counts/succeeded").asLong()).isEqualTo(2);
    assertThat(api.at("/counts/failed").asLong()).isEqualTo(1);
    assertThat(api.at("/counts/skipped").asLong()).isZero();
    assertThat(api.at("/progress/percent").asInt()).isEqualTo(100);

    assertPoolGaugesShowNumbers();
    List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    assertThat(severe).as("errors in the browser console").isEmpty();
  }

  private void assertPoolGaugesShowNumbers() {
    WebElement max = byTestId(browser, "pool-max");
    wait.withMessage("pool gauges filled").until(d -> max.getText().matches("\\d+"));
    JsonNode pool = http.get("/api/health/pool").json();
    assertThat(max.getText()).isEqualTo(pool.at("/pool/max").asString());
    for (String gauge : List.of("pool-active", "pool-idle", "pool-awaiting", "pool-timeouts")) {
      assertThat(text(browser, gauge)).as(gauge).matches("\\d+");
    }
    List<WebElement> queues = byTestId(browser, "queues").findElements(By.cssSelector("[data-testid=queue]"));
    assertThat(queues).extracting(q -> text(q, "queue-name")).containsExactlyInAnyOrder("sync", "generation", "batch", "import");
    for (WebElement q : queues) {
      assertThat(text(q, "queue-running") + " " + text(q, "queue-cap") + " " + text(q, "queue-waiting"))
          .as(text(q, "queue-name")).matches("\\d+ \\d+ \\d+");
    }
  }

  @Test
  void refusedBatchUpdateShowsTheProblemAndItsFieldNextToTheForm() {
    screenshot = "dashboard-problem.png";
    WebElement form = byTestId(browser, "batch-form");
    WebElement body = byTestId(form, "batch-body");
    body.clear();
    body.sendKeys("{\"filter\": {\"vendor\": \"Acme\"}, \"changes\": {\"price\": {\"half\": 1}}}");
    byTestId(form, "batch-submit").click();

    WebElement problem = byTestId(form, "batch-problem");
    wait.until(d -> !problem.getText().isEmpty());
    assertThat(problem.getText()).isEqualTo("changes.price.half: unknown field; expected one of add, percent, set");
    assertThat(problem.getDomAttribute("data-field")).isEqualTo("changes.price.half");
    assertThat(body.getDomAttribute("aria-invalid")).isEqualTo("true");
    assertThat(text(form, "batch-output")).as("nothing started").isEmpty();
  }

  @Test
  void batchFormPreviewsThenRunsAndTheRowRevertsIt() {
    screenshot = "dashboard-revert.png";
    String vendor = "dash-" + UUID.randomUUID();
    for (String handle : List.of(vendor + "-a", vendor + "-b")) {
      jdbc.sql("insert into products (handle, title, vendor) values (?, 'T', ?)").param(handle).param(vendor).update();
      jdbc.sql("insert into product_variants (product_id, sku, price) select id, handle, 10.00 from products where handle = ?")
          .param(handle).update();
    }
    WebElement form = byTestId(browser, "batch-form");
    WebElement output = byTestId(form, "batch-output");
    String request = "{\"filter\": {\"vendor\": \"" + vendor + "\"}, \"changes\": {\"price\": {\"add\": 1}}";
    byTestId(form, "batch-body").clear();
    byTestId(form, "batch-body").sendKeys(request + ", \"dryRun\": true}");
    byTestId(form, "batch-submit").click();
    wait.until(d -> output.getText().startsWith("Dry run"));
    assertThat(output.getText()).isEqualTo("Dry run: 2 products, 2 variants would change.");

    byTestId(form, "batch-body").clear();
    byTestId(form, "batch-body").sendKeys(request + "}");
    byTestId(form, "batch-submit").click();
    String id = wait.until(d -> output.getDomAttribute("data-operation-id"));
    By row = By.cssSelector("tr[data-operation-id='" + id + "']");
    wait.until(d -> byTestId(d.findElement(row), "op-revert").isDisplayed());
    assertThat(text(browser.findElement(row), "op-status")).isEqualTo("COMPLETED");
    assertThat(prices(vendor)).containsOnly(new BigDecimal("11.00"));

    byTestId(browser.findElement(row), "op-revert").click();
    wait.until(ExpectedConditions.alertIsPresent()).accept();
    By revert = By.xpath("//tr[.//*[@data-testid='op-what' and text()='revert of " + id.substring(0, 8) + "']]");
    wait.until(d -> "COMPLETED".equals(text(d.findElement(revert), "op-status")));
    assertThat(prices(vendor)).containsOnly(new BigDecimal("10.00"));
    assertThat(byTestId(browser.findElement(row), "op-revert").isDisplayed()).as("reverted once, no second button").isFalse();
    assertThat(byTestId(browser.findElement(revert), "op-revert").isDisplayed()).as("a revert is not revertible").isFalse();
  }

  private List<BigDecimal> prices(String vendor) {
    return jdbc.sql("select v.price from product_variants v join products p on p.id = v.product_id where p.vendor = ?")
        .param(vendor).query(BigDecimal.class).list();
  }

  @Test
  void postAnswered401AsksForTheKeyAndSendsItAgainAsBearer() {
    screenshot = "dashboard-key.png";
    browser.executeScript("sessionStorage.clear()");
    browser.navigate().refresh();
    WebElement form = byTestId(browser, "icons-form");
    form.findElement(By.cssSelector("input[name=which][value=ids]")).click();
    byTestId(form, "icons-ids").sendKeys("0");
    byTestId(form, "icons-submit").click();

    WebElement dialog = byTestId(browser, "key-dialog");
    wait.until(d -> dialog.isDisplayed());
    assertThat(text(dialog, "key-reason")).contains("this storeops requires its API key");
    byTestId(dialog, "key-input").sendKeys(KEY);
    byTestId(dialog, "key-save").click();

    // Product id 0 is refused by the controller, behind the key check: its 400 proves the retry got through.
    WebElement problem = byTestId(form, "icons-problem");
    wait.until(d -> !problem.getText().isEmpty());
    assertThat(problem.getText()).isEqualTo("productIds: must be a list of product ids (positive whole numbers)");
    assertThat(browser.executeScript("return sessionStorage.getItem('storeops.apiKey')")).isEqualTo(KEY);
    assertThat(text(browser, "key-button")).isEqualTo("API key: set");
  }

  private static WebElement byTestId(SearchContext in, String testId) {
    return in.findElement(By.cssSelector("[data-testid='" + testId + "']"));
  }

  private static String text(SearchContext in, String testId) {
    return byTestId(in, testId).getText();
  }
}
