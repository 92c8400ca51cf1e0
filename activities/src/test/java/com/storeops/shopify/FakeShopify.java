package com.storeops.shopify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Shopify Admin GraphQL endpoint on 127.0.0.1 that behaves as the real one does where storeops
 * depends on it: the access token header, a leaky cost bucket with a configurable restore rate,
 * THROTTLED as HTTP 200 with {@code errors[].extensions.code} and no data, {@code extensions.cost}
 * on every answer, cursor pagination with opaque cursors — and faults on demand (5xx, 429 with
 * Retry-After, slow answers, THROTTLED storms). Test code only.
 *
 * <p>Products, variants and metafields carry the fields a sync reads, shaped as Shopify answers
 * them (see {@link FakeProduct} and {@link FakeVariant}); a bulk export writes variants, media and
 * metafields as lines of their own with {@code __parentId}.
 *
 * <p>Cost model, after Shopify's: a connection of {@code first: N} asks 2 + N × its node's cost and
 * costs 2 + what it returns; a product node costs 1 plus its nested connections; other queries 1.
 * Nested objects (a variant's inventory item, say) cost nothing here, though Shopify counts 1 each.
 * Products are answered sorted by {@code updatedAt}, filtered by {@code updated_at:>='…'} (and,
 * like Shopify, not at all when the quotes are missing).
 */
public final class FakeShopify implements AutoCloseable {

  public static final String TOKEN = "shpat_fake_token_for_tests";
  private static final Pattern PRODUCTS = Pattern.compile("products\\(first:\\s*\\$?(\\w+)");
  private static final Pattern VARIANTS = Pattern.compile("variants\\(first:\\s*\\$?(\\w+)");
  private static final Pattern MEDIA = Pattern.compile("media\\(first:\\s*\\$?(\\w+)");
  private static final Pattern METAFIELDS = Pattern.compile("metafields\\(first:\\s*\\$?(\\w+)");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final JsonMapper json = JsonMapper.builder().build();
  private final String token;
  private double maximum;
  private double restoreRate;
  private double available;
  private long asOfNanos = System.nanoTime();
  private final List<FakeProduct> products = new ArrayList<>();
  private long nextId = 1000;
  private Instant clock = Instant.parse("2026-01-01T00:00:00Z");
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger throttledAnswers = new AtomicInteger();
  private final AtomicInteger ignoredFilters = new AtomicInteger();
  private final AtomicInteger firstPages = new AtomicInteger();
  private double pointsSpent;
  private long firstAnswerNanos;
  private long lastAnswerNanos;
  private double availableAfterLast;
  private int forcedThrottles;
  private final List<Integer> forcedStatuses = new ArrayList<>();
  private long delayMillis;
  private int passing;
  private int delayedRequests;
  private int garbageAnswers;

  public FakeShopify(double maximum, double restoreRate) {
    this(maximum, restoreRate, TOKEN);
  }

  /** A shop that accepts {@code token} only: a test can then look for that very token where it must not be. */
  public FakeShopify(double maximum, double restoreRate, String token) {
    this.token = token;
    this.maximum = maximum;
    this.restoreRate = restoreRate;
    this.available = maximum;
    try {
      this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/admin/api/", this::handle);
    server.createContext("/bulk/", this::download);
    server.setExecutor(executor);
    server.start();
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public ShopifySettings settings(String token) {
    // A generous request timeout: on a loaded machine a slow answer must not become a timeout and a
    // retry that tests counting requests or throttles would then see twice.
    return new ShopifySettings("fake.myshopify.com", token, null, "2026-10", baseUrl(), Duration.ofSeconds(15), 4);
  }

  /**
   * A product as the fake shop holds it; tests may change it through {@link #update}. Fields left
   * alone hold what Shopify answers for a product nobody filled in: no category, an empty SEO
   * title and description, not a gift card, no metafields.
   */
  public static final class FakeProduct {
    public final long id;
    public String handle;
    public String title;
    public String vendor;
    public String productType = "Thing";
    public List<String> tags = new ArrayList<>();
    public String status = "ACTIVE";
    public Instant updatedAt;
    /** The full name of the product's taxonomy category ({@code category { fullName }}), or null. */
    public String category;
    public String seoTitle;
    public String seoDescription;
    public boolean giftCard;
    /** Option names; an option-less product has Shopify's one option "Title" and variants "Default Title". */
    public final List<String> options = new ArrayList<>();
    public final List<FakeVariant> variants = new ArrayList<>();
    public final List<FakeImage> images = new ArrayList<>();
    public final List<FakeMetafield> metafields = new ArrayList<>();

    FakeProduct(long id) {
      this.id = id;
    }
  }

  /**
   * A variant with the fields Shopify keeps on it and on its inventory item: {@code weight} is the
   * measurement's value in {@code weightUnit} (GRAMS, KILOGRAMS, OUNCES, POUNDS), {@code unitCost}
   * the item's cost (null when none was entered), {@code imageUrl} the variant's image or null.
   */
  public record FakeVariant(long id, String sku, String price, String compareAtPrice, int quantity, List<String> options,
      String barcode, boolean taxable, String inventoryPolicy, boolean tracked, boolean requiresShipping, String unitCost,
      String weight, String weightUnit, String imageUrl) {

    /** A variant of one option value with Shopify's defaults for everything else. */
    public FakeVariant(long id, String sku, String price, String compareAtPrice, int quantity, String option) {
      this(id, sku, price, compareAtPrice, quantity, List.of(option), null, true, "DENY", true, true, null, "0.0", "KILOGRAMS", null);
    }

    /** The first option value. */
    public String option() {
      return options.get(0);
    }

    public FakeVariant withPrices(String sku, String price, String compareAtPrice) {
      return new FakeVariant(id, sku, price, compareAtPrice, quantity, options, barcode, taxable, inventoryPolicy, tracked,
          requiresShipping, unitCost, weight, weightUnit, imageUrl);
    }

    public FakeVariant withInventory(String barcode, boolean taxable, String inventoryPolicy, boolean tracked,
        boolean requiresShipping, String unitCost) {
      return new FakeVariant(id, sku, price, compareAtPrice, quantity, options, barcode, taxable, inventoryPolicy, tracked,
          requiresShipping, unitCost, weight, weightUnit, imageUrl);
    }

    public FakeVariant withWeight(String weight, String weightUnit) {
      return new FakeVariant(id, sku, price, compareAtPrice, quantity, options, barcode, taxable, inventoryPolicy, tracked,
          requiresShipping, unitCost, weight, weightUnit, imageUrl);
    }

    public FakeVariant withImage(String imageUrl) {
      return new FakeVariant(id, sku, price, compareAtPrice, quantity, options, barcode, taxable, inventoryPolicy, tracked,
          requiresShipping, unitCost, weight, weightUnit, imageUrl);
    }
  }

  public record FakeImage(long id, String url, String alt) {}

  /** A metafield; {@code definitionName} is null when the shop has no definition for it. */
  public record FakeMetafield(long id, String namespace, String key, String type, String value, String definitionName) {}

  /** Adds one product, filled in by {@code fill} (handle, title, options, variants …); it becomes the newest. */
  public synchronized FakeProduct addProduct(java.util.function.Consumer<FakeProduct> fill) {
    FakeProduct p = new FakeProduct(nextId++);
    p.title = "Product " + products.size();
    fill.accept(p);
    p.updatedAt = tick();
    products.add(p);
    return p;
  }

  /** A new variant of the given option values (Shopify's defaults otherwise), for {@link #addProduct}. */
  public synchronized FakeVariant variant(String sku, String price, String... options) {
    return new FakeVariant(nextId++, sku, price, null, 1, List.of(options), null, true, "DENY", true, true, null, "0.0",
        "KILOGRAMS", null);
  }

  public synchronized FakeImage image(String url, String alt) {
    return new FakeImage(nextId++, url, alt);
  }

  public synchronized FakeMetafield metafield(String namespace, String key, String type, String value, String definitionName) {
    return new FakeMetafield(nextId++, namespace, key, type, value, definitionName);
  }

  /**
   * Adds products: product i has 1 + i % 3 variants (SKU {@code <handle>-<n>}) and i % 3 images,
   * each one second newer than the last.
   */
  public synchronized void addProducts(int count) {
    for (int i = 0; i < count; i++) {
      FakeProduct p = new FakeProduct(nextId++);
      int n = products.size();
      p.handle = "shop-product-" + n;
      p.title = "Product " + n;
      p.vendor = "Vendor " + n % 7;
      p.tags = List.of("t" + n % 5, "sync");
      p.options.add("Size");
      for (int v = 0; v < 1 + n % 3; v++) {
        p.variants.add(new FakeVariant(nextId++, p.handle + "-" + v, (10 + v) + ".50", v == 0 ? "20.00" : null, n % 9, "S" + v));
      }
      for (int m = 0; m < n % 3; m++) {
        p.images.add(new FakeImage(nextId++, "https://cdn.fake/" + p.handle + "-" + m + ".png", m == 0 ? "front" : null));
      }
      p.updatedAt = tick();
      products.add(p);
    }
  }

  /** Changes a product as a merchant would: it becomes the most recently updated. */
  public synchronized void update(int index, java.util.function.Consumer<FakeProduct> change) {
    FakeProduct p = products.get(index);
    change.accept(p);
    p.updatedAt = tick();
  }

  public synchronized void delete(int index) {
    products.remove(index);
  }

  public synchronized List<FakeProduct> products() {
    return List.copyOf(products);
  }

  /** Queries whose search filter Shopify ignored (no quotes around the timestamp). */
  public int ignoredFilters() {
    return ignoredFilters.get();
  }

  /** Product pages requested from the start (no cursor): a resumed sync asks for none again. */
  public int firstPages() {
    return firstPages.get();
  }

  /** One bulk operation: RUNNING for {@code pollsLeft} polls, then COMPLETED with its JSONL. */
  private static final class Bulk {
    final long id;
    int pollsLeft;
    final byte[] jsonl;
    final long lines;
    final long roots;

    Bulk(long id, int polls, byte[] jsonl, long roots) {
      this.id = id;
      this.pollsLeft = polls;
      this.jsonl = jsonl;
      this.lines = new String(jsonl, StandardCharsets.UTF_8).lines().count();
      this.roots = roots;
    }

    boolean finished() {
      return pollsLeft <= 0;
    }
  }

  private Bulk bulk;
  private int bulkPolls = 2;
  private int bulkBusy;
  private boolean bulkWithoutUrl;
  private int bulkLinesLost;
  private boolean bulkFileDrips;
  private final AtomicInteger bulksStarted = new AtomicInteger();
  private final AtomicInteger mutations = new AtomicInteger();

  /** productVariantsBulkUpdate calls applied. */
  public int variantUpdates() {
    return mutations.get();
  }

  /** One mutation as a client sent it: its name, its variables and its {@code @idempotent} key (or null). */
  public record Sent(String mutation, JsonNode variables, String idempotencyKey) {}

  private static final Pattern MUTATION = Pattern.compile("mutation\\s+\\w+\\s*\\([^)]*\\)\\s*\\{\\s*(\\w+)");
  private static final Pattern IDEMPOTENT = Pattern.compile("@idempotent\\(key:\\s*\"([^\"]+)\"\\)");
  private final List<Sent> sent = new ArrayList<>();
  private final java.util.Set<String> idempotencyKeys = new java.util.HashSet<>();

  /** Every mutation answered (not the throttled ones), in order: what a push sent, field by field. */
  public synchronized List<Sent> sent() {
    return List.copyOf(sent);
  }

  /** The inventory item of a variant in this shop: its id plus one million. */
  public static long inventoryItemId(long variantId) {
    return variantId + 1_000_000;
  }

  /** The shop's one location: every variant is stocked there. */
  public static final String LOCATION = "gid://shopify/Location/1";

  /** The next {@code count} bulk runs answer that another bulk operation is in progress. */
  public synchronized void bulkBusyNext(int count) {
    bulkBusy = count;
  }

  /** The next bulk export completes with its counts but no file URL. */
  public synchronized void nextBulkCompletesWithoutUrl() {
    bulkWithoutUrl = true;
  }

  /** The next bulk export's file loses its last {@code lines} lines, as a download cut short would. */
  public synchronized void nextBulkFileLoses(int lines) {
    bulkLinesLost = lines;
  }

  /** The next download of a bulk file sends its first line, then a byte a quarter second for a minute. */
  public synchronized void nextBulkFileDrips() {
    bulkFileDrips = true;
  }

  public int bulksStarted() {
    return bulksStarted.get();
  }

  /**
   * The shop as a bulk export writes it: each object a line, children with {@code __parentId}
   * after their parent — here all products first, then all variants, then all media, so that no
   * child sits next to its parent.
   */
  private byte[] jsonl() {
    StringBuilder out = new StringBuilder();
    for (FakeProduct p : products) {
      ObjectNode node = json.createObjectNode();
      product(node, p, 0, 0, 0, 0, 0, 0);
      out.append(json.writeValueAsString(node)).append('\n');
    }
    for (FakeProduct p : products) {
      for (int i = 0; i < p.variants.size(); i++) {
        ObjectNode n = json.createObjectNode();
        variant(n, p, i);
        n.put("__parentId", "gid://shopify/Product/" + p.id);
        out.append(json.writeValueAsString(n)).append('\n');
      }
    }
    for (FakeProduct p : products) {
      for (FakeMetafield m : p.metafields) {
        ObjectNode n = json.createObjectNode();
        metafield(n, m);
        n.put("__parentId", "gid://shopify/Product/" + p.id);
        out.append(json.writeValueAsString(n)).append('\n');
      }
    }
    for (FakeProduct p : products) {
      for (FakeImage m : p.images) {
        ObjectNode n = json.createObjectNode().put("id", "gid://shopify/MediaImage/" + m.id()).put("alt", m.alt());
        n.putObject("image").put("url", m.url());
        n.put("__parentId", "gid://shopify/Product/" + p.id);
        out.append(json.writeValueAsString(n)).append('\n');
      }
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void download(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      boolean drip;
      synchronized (this) {
        drip = bulkFileDrips;
        bulkFileDrips = false;
        body = bulk == null ? new byte[0] : bulk.jsonl;
        if (bulkLinesLost > 0) {
          List<String> lines = new String(body, StandardCharsets.UTF_8).lines().toList();
          body = (String.join("\n", lines.subList(0, Math.max(0, lines.size() - bulkLinesLost))) + "\n").getBytes(StandardCharsets.UTF_8);
          bulkLinesLost = 0;
        }
      }
      exchange.getResponseHeaders().add("Content-Type", "application/jsonl");
      exchange.sendResponseHeaders(200, body.length);
      if (drip) {
        int firstLine = new String(body, StandardCharsets.UTF_8).indexOf('\n') + 1;
        exchange.getResponseBody().write(body, 0, firstLine);
        for (int i = firstLine; i < Math.min(body.length, firstLine + 240); i++) {
          exchange.getResponseBody().flush();
          try {
            Thread.sleep(250);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          exchange.getResponseBody().write(body[i]);
        }
        return; // the rest never comes: the client gives up, or the minute is over and the connection closes short
      }
      exchange.getResponseBody().write(body);
    }
  }

  private Instant tick() {
    clock = clock.plusSeconds(1);
    return clock;
  }

  /** The next {@code count} requests get THROTTLED whatever the bucket holds. */
  public synchronized void throttleNext(int count) {
    forcedThrottles += count;
  }

  /** The next requests answer these HTTP statuses (429 with {@code Retry-After: 0.2}). */
  public synchronized void failNext(Integer... statuses) {
    forcedStatuses.addAll(List.of(statuses));
  }

  /** After {@code passing} more requests are answered normally, the next answer these statuses. */
  public synchronized void failAfter(int passing, Integer... statuses) {
    this.passing = passing;
    forcedStatuses.addAll(List.of(statuses));
  }

  /** The next {@code count} requests get HTTP 200 with a body that is not JSON (a proxy's error page). */
  public synchronized void garbageNext(int count) {
    garbageAnswers += count;
  }

  /** The next {@code count} requests answer after {@code millis}. */
  public synchronized void delayNext(int count, long millis) {
    delayedRequests = count;
    delayMillis = millis;
  }

  public int requests() {
    return requests.get();
  }

  public int throttledAnswers() {
    return throttledAnswers.get();
  }

  public synchronized double pointsSpent() {
    return pointsSpent;
  }

  /** A new plan: the bucket starts full at the new maximum, and the points spent count from zero. */
  public synchronized void limits(double maximum, double restoreRate) {
    this.maximum = maximum;
    this.restoreRate = restoreRate;
    this.available = maximum;
    this.asOfNanos = System.nanoTime();
    this.pointsSpent = 0;
    this.firstAnswerNanos = 0;
  }

  /**
   * The points the client spent out of what the bucket restored while it was asking — from the
   * first to the last answer since {@link #limits}: spent − (maximum − what was left at the end),
   * over restoreRate × that time. 1.0 is a client that let no restored point go unused.
   */
  public synchronized double restoreRateUsed() {
    double seconds = (lastAnswerNanos - firstAnswerNanos) / 1e9;
    return (pointsSpent - (maximum - availableAfterLast)) / (restoreRate * seconds);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      if (!token.equals(exchange.getRequestHeaders().getFirst("X-Shopify-Access-Token"))) {
        send(exchange, 401, "{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong password)\"}");
        return;
      }
      JsonNode request = json.readTree(exchange.getRequestBody().readAllBytes());
      long delay;
      Integer forcedStatus;
      boolean garbage;
      synchronized (this) {
        garbage = garbageAnswers > 0;
        garbageAnswers -= garbage ? 1 : 0;
        delay = delayedRequests-- > 0 ? delayMillis : 0;
        if (passing > 0) {
          passing--;
          forcedStatus = null;
        } else {
          forcedStatus = forcedStatuses.isEmpty() ? null : forcedStatuses.remove(0);
        }
      }
      if (delay > 0) {
        Thread.sleep(delay);
      }
      if (garbage) {
        send(exchange, 200, "<html><body>502 Bad Gateway</body></html>");
        return;
      }
      if (forcedStatus != null) {
        if (forcedStatus == 429) {
          exchange.getResponseHeaders().add("Retry-After", "0.2");
        }
        send(exchange, forcedStatus, "{\"errors\":\"fault injected\"}");
        return;
      }
      send(exchange, 200, json.writeValueAsString(answer(request)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized ObjectNode answer(JsonNode request) {
    String query = request.path("query").asString();
    JsonNode variables = request.path("variables");
    int first = first(PRODUCTS, query, variables);
    int variantsFirst = first(VARIANTS, query, variables);
    int mediaFirst = first(MEDIA, query, variables);
    int metafieldsFirst = first(METAFIELDS, query, variables);
    double nested = connectionCost(variantsFirst) + connectionCost(mediaFirst) + connectionCost(metafieldsFirst);
    double requested = first > 0 ? 2 + first * (1 + nested) : query.contains("product(id:") ? 1 + nested : 1;
    refill();
    ObjectNode root = json.createObjectNode();
    if (requested > maximum) {
      root.putArray("errors").addObject().put("message", "Query cost is " + requested + ", which exceeds the single query max cost limit (" + maximum + ").")
          .putObject("extensions").put("code", "MAX_COST_EXCEEDED").put("cost", requested).put("maxCost", maximum);
      return root;
    }
    if (forcedThrottles > 0 || available < requested) {
      forcedThrottles = Math.max(0, forcedThrottles - 1);
      throttledAnswers.incrementAndGet();
      root.putArray("errors").addObject().put("message", "Throttled").putObject("extensions").put("code", "THROTTLED");
      cost(root, requested, null);
      return root;
    }
    Matcher mutation = MUTATION.matcher(query);
    if (mutation.find()) {
      Matcher key = IDEMPOTENT.matcher(query);
      sent.add(new Sent(mutation.group(1), variables, key.find() ? key.group(1) : null));
    }
    ObjectNode data = root.putObject("data");
    double actual = 1;
    if (first > 0) {
      List<FakeProduct> matching = search(variables.path("query").asString(null));
      String after = variables.path("after").asString(null);
      if (after == null) {
        firstPages.incrementAndGet();
      }
      int start = after == null ? 0 : position(matching, after);
      int end = Math.min(matching.size(), start + first);
      ObjectNode connection = data.putObject("products");
      var nodes = connection.putArray("nodes");
      actual = 2;
      for (FakeProduct p : matching.subList(start, end)) {
        actual += 1 + product(nodes.addObject(), p, variantsFirst, mediaFirst, metafieldsFirst, 0, 0, 0);
      }
      connection.putObject("pageInfo").put("hasNextPage", end < matching.size())
          .put("endCursor", end == start ? after : cursor(matching.get(end - 1)));
    } else if (query.contains("product(id:")) {
      String gid = variables.path("id").asString();
      long id = Long.parseLong(gid.substring(gid.lastIndexOf('/') + 1));
      FakeProduct p = products.stream().filter(x -> x.id == id).findFirst().orElseThrow();
      int after = variables.path("after").isNull() || variables.path("after").isMissingNode() ? 0
          : Integer.parseInt(variables.path("after").asString());
      actual = 1 + product(data.putObject("product"), p, variantsFirst, mediaFirst, metafieldsFirst, after, after, after);
    } else if (query.contains("productVariantsBulkUpdate")) {
      ObjectNode update = data.putObject("productVariantsBulkUpdate");
      String productGid = variables.path("productId").asString();
      FakeProduct p = products.stream().filter(x -> productGid.endsWith("/" + x.id)).findFirst().orElse(null);
      var errors = update.putArray("userErrors");
      List<FakeVariant> changed = p == null ? List.of() : new ArrayList<>(p.variants);
      for (JsonNode input : variables.path("variants")) {
        String gid = input.path("id").asString();
        int at = -1;
        for (int i = 0; i < changed.size(); i++) {
          at = gid.endsWith("/" + changed.get(i).id()) ? i : at;
        }
        if (at < 0) {
          errors.addObject().put("message", "Product variant does not exist").putArray("field").add("variants").add("id");
          continue;
        }
        FakeVariant v = changed.get(at);
        changed.set(at, v.withPrices(input.path("inventoryItem").path("sku").asString(v.sku()),
            input.path("price").asString(v.price()), input.path("compareAtPrice").isNull() ? null
                : input.path("compareAtPrice").asString(v.compareAtPrice())));
      }
      if (errors.isEmpty() && p != null) { // all or nothing, as Shopify does without allowPartialUpdates
        p.variants.clear();
        p.variants.addAll(changed);
        p.updatedAt = tick();
        mutations.incrementAndGet();
      }
      update.putArray("productVariants");
      actual = 10;
    } else if (query.contains("tagsAdd(") || query.contains("tagsRemove(")) {
      boolean add = query.contains("tagsAdd(");
      ObjectNode payload = data.putObject(add ? "tagsAdd" : "tagsRemove");
      FakeProduct p = product(variables.path("id").asString());
      var errors = payload.putArray("userErrors");
      if (p == null) {
        errors.addObject().put("message", "Product does not exist").putArray("field").add("id");
      } else {
        List<String> tags = new ArrayList<>(p.tags);
        for (JsonNode t : variables.path("tags")) {
          tags.remove(t.asString());
          if (add) {
            tags.add(t.asString());
          }
        }
        p.tags = tags;
        p.updatedAt = tick();
      }
      actual = 10;
    } else if (query.contains("productUpdate(")) {
      ObjectNode payload = data.putObject("productUpdate");
      JsonNode input = variables.path("product");
      FakeProduct p = product(input.path("id").asString());
      var errors = payload.putArray("userErrors");
      if (p == null) {
        errors.addObject().put("message", "Product does not exist").putArray("field").add("id");
      } else {
        if (input.has("status")) {
          p.status = input.path("status").asString();
        }
        if (input.has("tags")) {
          List<String> tags = new ArrayList<>();
          input.path("tags").forEach(t -> tags.add(t.asString()));
          p.tags = tags;
        }
        p.updatedAt = tick();
      }
      actual = 10;
    } else if (query.contains("nodes(ids:")) {
      var nodes = data.putArray("nodes");
      for (JsonNode gid : variables.path("ids")) {
        FakeVariant v = products.stream().flatMap(p -> p.variants.stream()).filter(x -> gid.asString().endsWith("/" + x.id()))
            .findFirst().orElse(null);
        if (v == null) {
          nodes.addNull();
        } else {
          ObjectNode item = nodes.addObject().put("id", gid.asString()).putObject("inventoryItem")
              .put("id", "gid://shopify/InventoryItem/" + inventoryItemId(v.id()));
          item.putObject("inventoryLevels").putArray("nodes").addObject().putObject("location").put("id", LOCATION);
        }
      }
    } else if (query.contains("inventorySetQuantities(") || query.contains("inventoryAdjustQuantities(")) {
      boolean set = query.contains("inventorySetQuantities(");
      ObjectNode payload = data.putObject(set ? "inventorySetQuantities" : "inventoryAdjustQuantities");
      var errors = payload.putArray("userErrors");
      Matcher key = IDEMPOTENT.matcher(query);
      if (!key.find()) {
        errors.addObject().put("message", "an idempotency key is required").putArray("field").add("input");
      } else if (idempotencyKeys.add(key.group(1))) { // a repeated key answers as before and changes nothing
        for (JsonNode change : variables.path("input").path(set ? "quantities" : "changes")) {
          String item = change.path("inventoryItemId").asString();
          for (FakeProduct p : products) {
            for (int i = 0; i < p.variants.size(); i++) {
              FakeVariant v = p.variants.get(i);
              if (item.endsWith("/" + inventoryItemId(v.id()))) {
                int quantity = set ? change.path("quantity").asInt() : v.quantity() + change.path("delta").asInt();
                p.variants.set(i, new FakeVariant(v.id(), v.sku(), v.price(), v.compareAtPrice(), quantity, v.option()));
              }
            }
          }
        }
      }
      actual = 10;
    } else if (query.contains("bulkOperationRunQuery")) {
      ObjectNode run = data.putObject("bulkOperationRunQuery");
      if (bulkBusy > 0 || bulk != null && !bulk.finished()) {
        bulkBusy = Math.max(0, bulkBusy - 1);
        if (bulk != null) {
          bulk.pollsLeft--; // it runs on whether polled or not: one whose start timed out at the client still ends
        }
        run.putNull("bulkOperation");
        run.putArray("userErrors").addObject().putNull("field")
            .put("message", "A bulk query operation for this app and shop is already in progress: " + (bulk == null ? "other" : bulk.id) + ".");
      } else {
        bulk = new Bulk(nextId++, bulkPolls, jsonl(), products.size());
        bulksStarted.incrementAndGet();
        run.putObject("bulkOperation").put("id", "gid://shopify/BulkOperation/" + bulk.id).put("status", "CREATED");
        run.putArray("userErrors");
      }
      actual = 10;
    } else if (query.contains("BulkOperation")) {
      ObjectNode node = data.putObject("node");
      Bulk b = bulk;
      node.put("id", "gid://shopify/BulkOperation/" + b.id);
      if (b.pollsLeft > 0) {
        b.pollsLeft--;
        node.put("status", "RUNNING").putNull("url");
      } else {
        // Shopify's UnsignedInt64 counts are JSON strings.
        node.put("status", "COMPLETED").put("objectCount", String.valueOf(b.lines)).put("rootObjectCount", String.valueOf(b.roots))
            .put("url", bulkWithoutUrl ? null : baseUrl() + "/bulk/" + b.id + ".jsonl");
        bulkWithoutUrl = false;
      }
    } else if (query.contains("productsCount")) {
      data.putObject("productsCount").put("count", search(variables.path("query").asString(null)).size());
    } else {
      data.putObject("shop").put("name", "Fake shop");
    }
    available -= actual;
    pointsSpent += actual;
    lastAnswerNanos = System.nanoTime();
    firstAnswerNanos = firstAnswerNanos == 0 ? lastAnswerNanos : firstAnswerNanos;
    availableAfterLast = available;
    cost(root, requested, actual);
    return root;
  }

  private FakeProduct product(String gid) {
    return products.stream().filter(x -> gid.endsWith("/" + x.id)).findFirst().orElse(null);
  }

  private static double connectionCost(int first) {
    return first > 0 ? 2 + first : 0;
  }

  /**
   * Writes the fields a sync asks for, shaped as Shopify answers them; answers what its nested
   * connections cost. A connection of {@code first} 0 is left out, as in a bulk export's product line.
   */
  private double product(ObjectNode node, FakeProduct p, int variantsFirst, int mediaFirst, int metafieldsFirst,
      int variantsAfter, int mediaAfter, int metafieldsAfter) {
    node.put("id", "gid://shopify/Product/" + p.id).put("handle", p.handle).put("title", p.title)
        .put("descriptionHtml", "<p>" + p.title + "</p>").put("vendor", p.vendor).put("productType", p.productType)
        .put("status", p.status).put("updatedAt", p.updatedAt.toString()).put("isGiftCard", p.giftCard);
    if (p.category == null) {
      node.putNull("category");
    } else {
      node.putObject("category").put("fullName", p.category);
    }
    node.putObject("seo").put("title", p.seoTitle).put("description", p.seoDescription);
    p.tags.forEach(node.putArray("tags")::add);
    p.options.forEach(o -> node.withArray("options").addObject().put("name", o));
    double cost = 0;
    if (variantsFirst > 0) {
      int end = Math.min(p.variants.size(), variantsAfter + variantsFirst);
      ObjectNode connection = node.putObject("variants");
      var nodes = connection.putArray("nodes");
      for (int i = variantsAfter; i < end; i++) {
        variant(nodes.addObject(), p, i);
      }
      connection.putObject("pageInfo").put("hasNextPage", end < p.variants.size()).put("endCursor", String.valueOf(end));
      cost += 2 + (end - variantsAfter);
    }
    if (mediaFirst > 0) {
      int end = Math.min(p.images.size(), mediaAfter + mediaFirst);
      ObjectNode connection = node.putObject("media");
      var nodes = connection.putArray("nodes");
      for (int i = mediaAfter; i < end; i++) {
        FakeImage m = p.images.get(i);
        nodes.addObject().put("id", "gid://shopify/MediaImage/" + m.id()).put("alt", m.alt()).putObject("image").put("url", m.url());
      }
      connection.putObject("pageInfo").put("hasNextPage", end < p.images.size()).put("endCursor", String.valueOf(end));
      cost += 2 + (end - mediaAfter);
    }
    if (metafieldsFirst > 0) {
      int end = Math.min(p.metafields.size(), metafieldsAfter + metafieldsFirst);
      ObjectNode connection = node.putObject("metafields");
      var nodes = connection.putArray("nodes");
      for (int i = metafieldsAfter; i < end; i++) {
        metafield(nodes.addObject(), p.metafields.get(i));
      }
      connection.putObject("pageInfo").put("hasNextPage", end < p.metafields.size()).put("endCursor", String.valueOf(end));
      cost += 2 + (end - metafieldsAfter);
    }
    return cost;
  }

  /**
   * A variant as Shopify answers it: option values with their option's name, the weight on the
   * inventory item's measurement as a Float in its unit, the unit cost as MoneyV2 with the amount
   * a decimal string.
   */
  private void variant(ObjectNode n, FakeProduct p, int index) {
    FakeVariant v = p.variants.get(index);
    n.put("id", "gid://shopify/ProductVariant/" + v.id()).put("sku", v.sku()).put("position", index + 1)
        .put("price", v.price()).put("compareAtPrice", v.compareAtPrice()).put("inventoryQuantity", v.quantity())
        .put("barcode", v.barcode()).put("taxable", v.taxable()).put("inventoryPolicy", v.inventoryPolicy());
    var selected = n.putArray("selectedOptions");
    for (int o = 0; o < v.options().size(); o++) {
      selected.addObject().put("name", o < p.options.size() ? p.options.get(o) : "Title").put("value", v.options().get(o));
    }
    if (v.imageUrl() == null) {
      n.putNull("image");
    } else {
      n.putObject("image").put("url", v.imageUrl());
    }
    ObjectNode item = n.putObject("inventoryItem").put("tracked", v.tracked()).put("requiresShipping", v.requiresShipping());
    if (v.unitCost() == null) {
      item.putNull("unitCost");
    } else {
      item.putObject("unitCost").put("amount", v.unitCost()).put("currencyCode", "EUR");
    }
    item.putObject("measurement").putObject("weight").put("value", Double.parseDouble(v.weight())).put("unit", v.weightUnit());
  }

  private void metafield(ObjectNode n, FakeMetafield m) {
    n.put("id", "gid://shopify/Metafield/" + m.id()).put("namespace", m.namespace()).put("key", m.key())
        .put("type", m.type()).put("value", m.value());
    if (m.definitionName() == null) {
      n.putNull("definition");
    } else {
      n.putObject("definition").put("name", m.definitionName());
    }
  }

  /** Shopify's search: {@code updated_at:>='…'} with the quotes; without them the filter is ignored. */
  private List<FakeProduct> search(String query) {
    List<FakeProduct> sorted = new ArrayList<>(products);
    sorted.sort(java.util.Comparator.comparing((FakeProduct p) -> p.updatedAt).thenComparingLong(p -> p.id));
    if (query == null || query.isBlank()) {
      return sorted;
    }
    Matcher quoted = Pattern.compile("updated_at:>='([^']+)'").matcher(query);
    if (!quoted.find()) {
      ignoredFilters.incrementAndGet();
      return sorted;
    }
    Instant since = Instant.parse(quoted.group(1));
    return sorted.stream().filter(p -> !p.updatedAt.isBefore(since)).toList();
  }

  /** Opaque to clients: the sort key of the last product of the page. */
  private static String cursor(FakeProduct p) {
    return Base64.getEncoder().encodeToString((p.updatedAt + "|" + p.id).getBytes(StandardCharsets.UTF_8));
  }

  private static int position(List<FakeProduct> sorted, String cursor) {
    String[] key = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
    Instant at = Instant.parse(key[0]);
    long id = Long.parseLong(key[1]);
    int i = 0;
    while (i < sorted.size() && (sorted.get(i).updatedAt.isBefore(at) || sorted.get(i).updatedAt.equals(at) && sorted.get(i).id <= id)) {
      i++;
    }
    return i;
  }

  private void cost(ObjectNode root, double requested, Double actual) {
    ObjectNode cost = root.putObject("extensions").putObject("cost");
    cost.put("requestedQueryCost", requested);
    if (actual == null) {
      cost.putNull("actualQueryCost");
    } else {
      cost.put("actualQueryCost", actual);
    }
    cost.putObject("throttleStatus").put("maximumAvailable", maximum).put("currentlyAvailable", Math.floor(available))
        .put("restoreRate", restoreRate);
  }

  private void refill() {
    long now = System.nanoTime();
    available = Math.min(maximum, available + (now - asOfNanos) / 1e9 * restoreRate);
    asOfNanos = now;
  }

  private static int first(Pattern connection, String query, JsonNode variables) {
    Matcher m = connection.matcher(query);
    if (!m.find()) {
      return 0;
    }
    String value = m.group(1);
    return value.chars().allMatch(Character::isDigit) ? Integer.parseInt(value) : variables.path(value).asInt();
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
