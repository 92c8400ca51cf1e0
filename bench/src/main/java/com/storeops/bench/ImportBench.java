package com.storeops.bench;

import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.postgresql.PGConnection;

/**
 * CSV import speed, end to end: a generated Shopify export of 100 k products / 175 k rows uploaded
 * to the packaged storeops (embedded PostgreSQL and Temporal) until COMPLETED — once right after
 * start (the JIT still compiling the parser), once more with a second file of other products, as a
 * running worker would meet it (C2 still compiles the outer loops, the driver and Spring then), and
 * a third time with a third file, the JIT settled, which is what each import costs a long-running
 * worker — against, on the same
 * database: (a) COPY of the file into a plain text table — what {@code psql \copy} does; (b) a
 * hand-written set-based load (COPY into a staging table, then INSERT … SELECT … ON CONFLICT);
 * (c) row-by-row inserts committing every 100 rows, the seed's way; (d) the floor: COPY of the rows
 * storeops wrote for the first file into empty copies of the three tables. Prints rows/s, ratios to
 * (a), each line's CPU time — the loading process's and PostgreSQL's ({@link ProcessCpu}) — and
 * storeops against (c) and (d).
 *
 * <p>Needs {@code api/target/storeops.jar}: run with {@code ./mvnw -Pbench -am verify -DskipTests}.
 * {@code IMPORT_BENCH_JVM_OPTIONS="-XX:… -XX:…"} starts storeops with these JVM options (printed
 * with the figures), to measure a deployment's flags against the plain {@code java -jar};
 * {@code IMPORT_BENCH_LAYOUT=image} starts it as the image does: the jar extracted and the AOT
 * cache of the Dockerfile's training run ({@link WarmStartBench}), which needs {@code BENCH_JAVA}, a
 * JDK 25+ {@code java} (storeops runs on the bench's own Java otherwise).
 */
public final class ImportBench {

  static final int PRODUCTS = 100_000;
  /** The Dockerfile's STOREOPS_TRAINING_PRODUCTS. */
  static final int TRAINING_PRODUCTS = 20_000;
  static final String HEADER = "Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,"
      + "Variant SKU,Variant Grams,Variant Inventory Qty,Variant Price,Variant Compare At Price,Image Src,Image Position,Status";

  public static void main(String[] args) throws Exception {
    BenchDirectory.run("storeops-import-bench", dir -> {
      Path csv = dir.resolve("products.csv");
      long rows = generate(csv, "product-");
      Path second = dir.resolve("items.csv");
      generate(second, "item-");
      Path third = dir.resolve("things.csv");
      generate(third, "thing-");
      Path jar = Path.of(args.length > 0 ? args[0] : "../api/target/storeops.jar");
      String options = System.getenv().getOrDefault("IMPORT_BENCH_JVM_OPTIONS", "").strip();
      List<String> jvmOptions = new ArrayList<>(options.isEmpty() ? List.of() : List.of(options.split("\\s+")));
      Path java = PackagedStoreops.storeopsJava();
      if ("image".equals(System.getenv("IMPORT_BENCH_LAYOUT"))) {
        // As the image runs it: the jar extracted, and the AOT cache of the Dockerfile's training run (JDK 25+).
        jar = WarmStartBench.extract(jar, dir.resolve("app"));
        Path cache = dir.resolve("storeops.aot");
        long trained = WarmStartBench.trainAotCache(java, jar, cache, dir.resolve("training"), TRAINING_PRODUCTS);
        System.out.printf("AOT cache: training run (%d products imported twice) %d ms, %d MB%n", TRAINING_PRODUCTS, trained,
            Files.size(cache) >> 20);
        jvmOptions.add("-XX:AOTCache=" + cache);
      }
      try (PackagedStoreops app = PackagedStoreops.start(java, jar, dir, Map.of(), jvmOptions)) {
        long self = ProcessHandle.current().pid();
        Path pg = app.pgDirectory();
        // The driver directly: exec:java runs each bench in its own class loader, which DriverManager refuses.
        Properties user = new Properties();
        user.setProperty("user", "postgres");
        String[] status = new String[3];
        Load storeopsFirst;
        Load storeops;
        Load storeopsSettled;
        Load copy;
        Load setBased;
        Load rowByRow;
        Load floor;
        try (Connection c = new org.postgresql.Driver().connect(app.jdbcUrl(), user)) {
          storeopsFirst = measure(app.pid(), pg, c, "public", () -> status[0] = app.awaitFinal(app.upload("/api/operations/import", csv)));
          storeops = measure(app.pid(), pg, c, "public", () -> status[1] = app.awaitFinal(app.upload("/api/operations/import", second)));
          storeopsSettled = measure(app.pid(), pg, c, "public", () -> status[2] = app.awaitFinal(app.upload("/api/operations/import", third)));
          prepareSchemas(c);
          copy = measure(self, pg, c, "bench_a", () -> copyFile(c, csv, "bench_a.raw"));
          setBased = measure(self, pg, c, "bench_b", () -> setBasedLoad(c, csv));
          Work floorCopy = prepareFloor(c);
          floor = measure(self, pg, c, "bench_d", floorCopy);
          rowByRow = measure(self, pg, c, "bench_c", () -> rowByRowLoad(c, csv));
        }

        System.out.println();
        System.out.println("== CSV import (bench/ImportBench) ==");
        System.out.printf("file: %d products, %d rows, %.1f MB; storeops imports ended %s, %s, %s%n",
            PRODUCTS, rows, Files.size(csv) / 1e6, status[0], status[1], status[2]);
        System.out.println("storeops started as: " + java + " " + String.join(" ", jvmOptions) + (jvmOptions.isEmpty() ? "" : " ")
            + "-jar storeops.jar");
        System.out.printf("%-58s %8s %10s %8s %8s %8s %8s %8s%n", "load", "seconds", "rows/s", "× COPY", "app CPU", "PG CPU", "upkeep", "CPU s");
        print("(a) COPY into a plain text table (psql \\copy)", copy, rows, copy);
        print("storeops: upload → COMPLETED, first import after start", storeopsFirst, rows, copy);
        print("storeops: upload → COMPLETED, next import (warm JIT)", storeops, rows, copy);
        print("storeops: upload → COMPLETED, third import (JIT settled)", storeopsSettled, rows, copy);
        print("(b) hand-written set-based: COPY + INSERT … ON CONFLICT", setBased, rows, copy);
        print("(c) row by row, commit every 100 (the seed's way)", rowByRow, rows, copy);
        print("(d) floor: COPY of storeops' first-file rows, empty tables", floor, rows, copy);
        System.out.printf("throughput ÷ floor (d): first import %.2f ×, next %.2f ×, third %.2f × (goal ≥ 0.8); ÷ (b): %.2f ×, %.2f ×, %.2f ×%n",
            floor.seconds / storeopsFirst.seconds, floor.seconds / storeops.seconds, floor.seconds / storeopsSettled.seconds,
            setBased.seconds / storeopsFirst.seconds, setBased.seconds / storeops.seconds, setBased.seconds / storeopsSettled.seconds);
        System.out.printf("CPU ÷ row by row (c): first import %.3f, next %.3f, third %.3f (goal ≤ 0.1); CPU ÷ floor (d): %.2f, %.2f, %.2f (goal ≤ 1.5)%n",
            storeopsFirst.cpu() / rowByRow.cpu(), storeops.cpu() / rowByRow.cpu(), storeopsSettled.cpu() / rowByRow.cpu(),
            storeopsFirst.cpu() / floor.cpu(), storeops.cpu() / floor.cpu(), storeopsSettled.cpu() / floor.cpu());
        System.out.printf("the floor's own CPU ÷ row by row (c): %.3f, the least any loader of these rows spends on this schema;"
            + " ≤ 1.5 × the floor leaves storeops' JVM %.1f CPU s beside its PostgreSQL's in the next import, %.1f in the third%n",
            floor.cpu() / rowByRow.cpu(), 1.5 * floor.cpu() - storeops.postgresCpu, 1.5 * floor.cpu() - storeopsSettled.postgresCpu);
        System.out.println("(app CPU: the storeops JVM for its lines, the bench's JVM for (a)–(d); PG CPU: every process of the"
            + " embedded PostgreSQL, upkeep included; upkeep: PostgreSQL's CPU for the VACUUM (ANALYZE) of the tables the line"
            + " wrote and the CHECKPOINT of the pages it dirtied, run after it as autovacuum and the checkpointer would, outside"
            + " its seconds; each line starts right after a checkpoint)");
      }
    });
  }

  /** One load's wall time and the CPU time it cost the loading process and PostgreSQL (of which its upkeep). */
  record Load(double seconds, double appCpu, double postgresCpu, double upkeepCpu) {
    double cpu() {
      return appCpu + postgresCpu;
    }
  }

  /**
   * Runs {@code work} and then the upkeep PostgreSQL would run after it: VACUUM (ANALYZE) of every
   * table in {@code schema}, as autovacuum would, and a CHECKPOINT, writing the pages the load
   * dirtied, as the checkpointer would — on PostgreSQL's CPU but outside the load's seconds. Left to
   * themselves, autovacuum comes a minute or so after rows land and the checkpointer writes pages
   * minutes later, both falling into whichever line runs then, and only a line that happens to
   * start after a checkpoint pays full-page images. Here each line pays for its own rows and pages
   * and starts right after a checkpoint, an autovacuum already running awaited first. (One may
   * still start during a long line, on catalogs or storeops' own tables.)
   */
  static Load measure(long appPid, Path pgDirectory, Connection c, String schema, Work work) throws Exception {
    awaitNoAutovacuum(c);
    checkpoint(c);
    double app0 = ProcessCpu.of(appPid);
    double pg0 = ProcessCpu.ofPostgres(pgDirectory);
    double seconds = timed(work);
    double app = ProcessCpu.of(appPid) - app0;
    double pgLoaded = ProcessCpu.ofPostgres(pgDirectory);
    vacuum(c, schema);
    checkpoint(c);
    double pg1 = ProcessCpu.ofPostgres(pgDirectory);
    return new Load(seconds, app, pg1 - pg0, pg1 - pgLoaded);
  }

  private static void checkpoint(Connection c) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("checkpoint");
    }
  }

  private static void vacuum(Connection c, String schema) throws Exception {
    List<String> tables = new ArrayList<>();
    try (PreparedStatement q = c.prepareStatement("select quote_ident(tablename) from pg_tables where schemaname = ?")) {
      q.setString(1, schema);
      try (var rs = q.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
    }
    try (Statement s = c.createStatement()) {
      for (String table : tables) {
        s.execute("vacuum (analyze) " + schema + "." + table);
      }
    }
  }

  private static void awaitNoAutovacuum(Connection c) throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    try (Statement s = c.createStatement()) {
      while (System.nanoTime() < deadline) {
        try (var rs = s.executeQuery("select count(*) from pg_stat_activity where backend_type = 'autovacuum worker'")) {
          rs.next();
          if (rs.getInt(1) == 0) {
            return;
          }
        }
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("autovacuum still running after 120 s");
  }

  private static void print(String name, Load load, long rows, Load copy) {
    System.out.printf("%-58s %8.1f %10.0f %8.3f %8.1f %8.1f %8.1f %8.1f%n", name, load.seconds, rows / load.seconds,
        copy.seconds / load.seconds, load.appCpu, load.postgresCpu, load.upkeepCpu, load.cpu());
  }

  /** 100 k products: five in eight have one variant; three in eight have three variants and two images (175 k rows). */
  static long generate(Path csv, String prefix) throws IOException {
    long rows = 0;
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      w.write(HEADER);
      w.write('\n');
      for (int p = 0; p < PRODUCTS; p++) {
        String h = prefix + p;
        boolean big = p % 8 < 3;
        row(w, h, "Product " + p, "\"<p>Description of product " + p + ", with a comma</p>\"", "Vendor " + p % 50,
            "Type " + p % 20, "\"tag" + p % 100 + ", sale\"", "TRUE", big ? "Size" : "Title", big ? "S" : "Default Title",
            h + "-1", "250", String.valueOf(p % 40), (10 + p % 90) + ".99", (20 + p % 90) + ".00",
            "https://cdn.example/" + h + "-1.png", "1", "active");
        rows++;
        if (big) {
          row(w, h, "", "", "", "", "", "", "", "M", h + "-2", "260", "3", (11 + p % 90) + ".99", "",
              "https://cdn.example/" + h + "-2.png", "2", "");
          row(w, h, "", "", "", "", "", "", "", "L", h + "-3", "270", "4", (12 + p % 90) + ".99", "", "", "", "");
          rows += 2;
        }
      }
    }
    return rows;
  }

  private static void row(BufferedWriter w, String... cells) throws IOException {
    w.write(String.join(",", cells));
    w.write('\n');
  }

  static void prepareSchemas(Connection c) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("create schema if not exists bench_a");
      s.execute("create table bench_a.raw (" + columns("text") + ")");
      s.execute("create schema if not exists bench_b");
      s.execute("create table bench_b.products (like public.products including all)");
      s.execute("create table bench_b.product_variants (like public.product_variants including all)");
      s.execute("alter table bench_b.product_variants add foreign key (product_id) references bench_b.products (id)");
      s.execute("create table bench_b.product_images (like public.product_images including all)");
      s.execute("alter table bench_b.product_images add foreign key (product_id) references bench_b.products (id)");
      s.execute("create table bench_b.raw (line bigserial, " + columns("text") + ")");
      s.execute("create schema if not exists bench_c");
      s.execute("create table bench_c.products (like public.products including all)");
      s.execute("create table bench_c.product_variants (like public.product_variants including all)");
      s.execute("alter table bench_c.product_variants add foreign key (product_id) references bench_c.products (id)");
      s.execute("create table bench_c.product_images (like public.product_images including all)");
      s.execute("alter table bench_c.product_images add foreign key (product_id) references bench_c.products (id)");
    }
  }

  private static final List<String> RAW = List.of("handle", "title", "body", "vendor", "type", "tags", "published",
      "o1n", "o1v", "sku", "grams", "qty", "price", "compare", "img", "imgpos", "status");

  private static String columns(String type) {
    return String.join(", ", RAW.stream().map(n -> n + " " + type).toList());
  }

  static void copyFile(Connection c, Path csv, String table) throws Exception {
    String cols = "(" + String.join(", ", RAW) + ")";
    try (InputStream in = Files.newInputStream(csv)) {
      c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy " + table + " " + cols + " from stdin (format csv, header true)", in);
    }
  }

  /** What a developer would write by hand: COPY into staging, then three INSERT … SELECT. */
  static void setBasedLoad(Connection c, Path csv) throws Exception {
    copyFile(c, csv, "bench_b.raw");
    try (Statement s = c.createStatement()) {
      s.execute("""
          insert into bench_b.products (handle, title, body_html, vendor, product_type, tags, published, status, option1_name)
          select distinct on (handle) handle, title, body, vendor, type, string_to_array(tags, ', '), published::boolean, status,
                 nullif(o1n, 'Title')
          from bench_b.raw where title <> '' order by handle, line
          on conflict (handle) do update set title = excluded.title""");
      s.execute("""
          insert into bench_b.product_variants (product_id, sku, option1, price, compare_at_price, grams, inventory_quantity)
          select p.id, r.sku, nullif(r.o1v, 'Default Title'), r.price::numeric, nullif(r.compare, '')::numeric,
                 r.grams::int, r.qty::int
          from bench_b.raw r join bench_b.products p on p.handle = r.handle where r.sku <> ''""");
      s.execute("""
          insert into bench_b.product_images (product_id, src, position)
          select p.id, r.img, r.imgpos::int from bench_b.raw r join bench_b.products p on p.handle = r.handle
          where r.img <> '' on conflict (product_id, src) do nothing""");
    }
  }

  /**
   * What any loader must pay on this schema: the very rows storeops wrote for the first file,
   * typed and with their product ids, COPYed straight into empty copies of the three tables — only
   * the heap, the indexes and the foreign-key checks, no parsing, matching or upsert. Into empty
   * tables: measured into copies already holding the earlier files' rows (as storeops' next and
   * third imports meet them), it moved between 5.3 and 9.4 CPU s from run to run and was not
   * reliably above this one, so this, the cheapest state, is every import's anchor.
   */
  static Work prepareFloor(Connection c) throws Exception {
    var copy = c.unwrap(PGConnection.class).getCopyAPI();
    List<String> tables = List.of("products", "product_variants", "product_images");
    Map<String, byte[]> rows = new LinkedHashMap<>();
    for (String table : tables) {
      String query = table.equals("products")
          ? "select * from public.products where handle like 'product-%' order by id"
          : "select * from public." + table + " where product_id in (select id from public.products where handle like 'product-%') order by id";
      var out = new ByteArrayOutputStream();
      copy.copyOut("copy (" + query + ") to stdout (format binary)", out);
      rows.put(table, out.toByteArray());
    }
    try (Statement s = c.createStatement()) {
      s.execute("create schema bench_d");
      for (String table : tables) {
        s.execute("create table bench_d." + table + " (like public." + table + " including all)");
        s.execute("alter table bench_d." + table + " alter column id drop identity");
      }
      s.execute("alter table bench_d.product_variants add foreign key (product_id) references bench_d.products (id)");
      s.execute("alter table bench_d.product_images add foreign key (product_id) references bench_d.products (id)");
    }
    return () -> {
      for (var table : rows.entrySet()) {
        copy.copyIn("copy bench_d." + table.getKey() + " from stdin (format binary)", new ByteArrayInputStream(table.getValue()));
      }
    };
  }

  /** The seed's shape: one row at a time, a commit every 100 rows. */
  static void rowByRowLoad(Connection c, Path csv) throws Exception {
    c.setAutoCommit(false);
    try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        PreparedStatement product = c.prepareStatement(
            "insert into bench_c.products (handle, title, body_html, vendor, product_type, status) values (?, ?, ?, ?, ?, ?) returning id");
        PreparedStatement variant = c.prepareStatement(
            "insert into bench_c.product_variants (product_id, sku, option1, price, grams, inventory_quantity) values (?, ?, ?, ?, ?, ?)");
        PreparedStatement image = c.prepareStatement("insert into bench_c.product_images (product_id, src, position) values (?, ?, ?)")) {
      long productId = 0;
      int n = 0;
      for (CSVRecord r : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
        if (!r.get("Title").isEmpty()) {
          product.setString(1, r.get("Handle"));
          product.setString(2, r.get("Title"));
          product.setString(3, r.get("Body (HTML)"));
          product.setString(4, r.get("Vendor"));
          product.setString(5, r.get("Type"));
          product.setString(6, r.get("Status"));
          try (var rs = product.executeQuery()) {
            rs.next();
            productId = rs.getLong(1);
          }
        }
        variant.setLong(1, productId);
        variant.setString(2, r.get("Variant SKU"));
        variant.setString(3, r.get("Option1 Value"));
        variant.setBigDecimal(4, new BigDecimal(r.get("Variant Price")));
        variant.setInt(5, Integer.parseInt(r.get("Variant Grams")));
        variant.setInt(6, Integer.parseInt(r.get("Variant Inventory Qty")));
        variant.executeUpdate();
        if (!r.get("Image Src").isEmpty()) {
          image.setLong(1, productId);
          image.setString(2, r.get("Image Src"));
          image.setInt(3, Integer.parseInt(r.get("Image Position")));
          image.executeUpdate();
        }
        if (++n % 100 == 0) {
          c.commit();
        }
      }
      c.commit();
    } finally {
      c.setAutoCommit(true);
    }
  }

  interface Work {
    void run() throws Exception;
  }

  static double timed(Work work) throws Exception {
    long t0 = System.nanoTime();
    work.run();
    return seconds(t0);
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
