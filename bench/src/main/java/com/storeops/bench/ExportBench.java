package com.storeops.bench;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.Properties;
import org.postgresql.PGConnection;

/**
 * Catalogue export speed: ImportBench's 100 k products / 175 k rows imported into the packaged
 * storeops, then exported as a Shopify CSV (POST /api/exports → COMPLETED, then the download),
 * against {@code COPY (SELECT …) TO STDOUT} of the same rows — products joined with their variants
 * and images by position, the least any export must read. Prints rows/s and the ratio.
 *
 * <p>Needs {@code api/target/storeops.jar}: run with {@code ./mvnw -Pbench -am verify -DskipTests}.
 */
public final class ExportBench {

  private static final String SAME_ROWS = """
      copy (
        select p.handle, p.title, p.body_html, p.vendor, p.product_type, array_to_string(p.tags, ', '), p.published,
               p.option1_name, v.option1, v.sku, v.grams, v.inventory_quantity, v.price, v.compare_at_price,
               i.src, i.position, p.status
        from products p
        left join lateral (select *, row_number() over (order by position, id) n from product_variants
                           where product_id = p.id) v on true
        left join lateral (select *, row_number() over (order by position, id) n from product_images
                           where product_id = p.id) i on i.n = v.n or v.n is null
        where p.deleted_at is null
        order by p.id, v.n
      ) to stdout (format csv, header true)""";

  public static void main(String[] args) throws Exception {
    BenchDirectory.run("storeops-export-bench", dir -> {
      Path csv = dir.resolve("products.csv");
      long rows = ImportBench.generate(csv, "product-");
      Path jar = Path.of(args.length > 0 ? args[0] : "../api/target/storeops.jar");
      try (PackagedStoreops app = PackagedStoreops.start(jar, dir, Map.of())) {
        String imported = app.awaitFinal(app.upload("/api/operations/import", csv));

        long t0 = System.nanoTime();
        String id = app.post("/api/exports?generation=legacy", "{}");
        String exported = app.awaitFinal(id);
        double written = ImportBench.seconds(t0);
        t0 = System.nanoTime();
        HttpResponse<Path> file = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/exports/" + id + "/file")).build(),
            HttpResponse.BodyHandlers.ofFile(dir.resolve("export.csv")));
        double downloaded = ImportBench.seconds(t0);

        double copy;
        Properties user = new Properties();
        user.setProperty("user", "postgres");
        try (Connection c = new org.postgresql.Driver().connect(app.jdbcUrl(), user)) {
          copy = ImportBench.timed(() -> c.unwrap(PGConnection.class).getCopyAPI().copyOut(SAME_ROWS, OutputStream.nullOutputStream()));
        }

        System.out.println();
        System.out.println("== Catalogue export (bench/ExportBench) ==");
        System.out.printf("catalogue: %d products, %d rows; import %s, export %s (HTTP %d, %.1f MB)%n", ImportBench.PRODUCTS, rows,
            imported, exported, file.statusCode(), Files.size(file.body()) / 1e6);
        System.out.printf("%-58s %8s %10s %10s%n", "export", "seconds", "rows/s", "× COPY");
        print("COPY (SELECT … the same rows) TO STDOUT", copy, rows, copy);
        print("storeops: POST /api/exports → COMPLETED", written, rows, copy);
        print("storeops: download of the written file", downloaded, rows, copy);
        print("storeops: both", written + downloaded, rows, copy);
      }
    });
  }

  private static void print(String name, double seconds, long rows, double copy) {
    System.out.printf("%-58s %8.1f %10.0f %10.3f%n", name, seconds, rows / seconds, copy / seconds);
  }
}
