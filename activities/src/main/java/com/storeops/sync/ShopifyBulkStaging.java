package com.storeops.sync;

import com.storeops.catalog.RowArrays;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bulk export's lines in {@code shopify_bulk_lines}: COPYed in batches (a connection only for
 * each COPY, never while downloading), then read back a batch of products at a time with their
 * children, gathered by parent id.
 */
final class ShopifyBulkStaging {

  private static final int COPY_BATCH = 5_000;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Staged products in file order, with the line each starts on. */
  record Batch(List<ShopifyProduct> products, long lastLine) {}

  private final DataSource dataSource;
  private final JdbcClient jdbc;
  private final UUID operationId;

  ShopifyBulkStaging(DataSource dataSource, JdbcClient jdbc, UUID operationId) {
    this.dataSource = dataSource;
    this.jdbc = jdbc;
    this.operationId = operationId;
  }

  void clear() {
    jdbc.sql("delete from shopify_bulk_lines where operation_id = ?").param(operationId).update();
  }

  /** Stages every line; answers the number of products. */
  long stage(BufferedReader lines) {
    clear();
    long products = 0;
    long line = 0;
    StringBuilder csv = new StringBuilder();
    int batched = 0;
    try (lines) {
      for (String text = lines.readLine(); text != null; text = lines.readLine()) {
        if (text.isBlank()) {
          continue;
        }
        String parent = JSON.readTree(text).path("__parentId").asString(null);
        products += parent == null ? 1 : 0;
        csv.append(operationId).append(',').append(++line).append(',')
            .append(parent == null ? "" : String.valueOf(ShopifyProduct.numericId(parent))).append(",\"")
            .append(text.replace("\"", "\"\"")).append("\"\n");
        if (++batched == COPY_BATCH) {
          copy(csv);
          csv.setLength(0);
          batched = 0;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the bulk export failed", e);
    }
    copy(csv);
    return products;
  }

  /** Up to {@code limit} products after {@code afterLine}, each with all its variants and images. */
  Batch products(long afterLine, int limit) {
    List<Long> lines = new ArrayList<>();
    List<JsonNode> nodes = new ArrayList<>();
    jdbc.sql("select line, doc from shopify_bulk_lines where operation_id = ? and parent is null and line > ? order by line limit ?")
        .param(operationId).param(afterLine).param(limit)
        .query(rs -> {
          lines.add(rs.getLong(1));
          nodes.add(JSON.readTree(rs.getString(2)));
        });
    if (nodes.isEmpty()) {
      return new Batch(List.of(), afterLine);
    }
    Map<Long, List<JsonNode>> variants = new HashMap<>();
    Map<Long, List<JsonNode>> media = new HashMap<>();
    RowArrays<JsonNode> parents = new RowArrays<>(nodes).add("id", "bigint", n -> ShopifyProduct.numericId(n.path("id").asString()));
    try (Connection c = dataSource.getConnection();
        var ps = c.prepareStatement("select l.parent, l.doc from " + parents.unnest()
            + " join shopify_bulk_lines l on l.operation_id = ? and l.parent = t.id order by l.line")) {
      parents.bind(c, ps);
      ps.setObject(2, operationId);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          JsonNode child = JSON.readTree(rs.getString(2));
          String type = child.path("id").asString();
          (type.contains("/ProductVariant/") ? variants : media).computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(child);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading staged bulk lines failed: " + e.getMessage(), e);
    }
    List<ShopifyProduct> products = new ArrayList<>();
    for (JsonNode node : nodes) {
      long id = ShopifyProduct.numericId(node.path("id").asString());
      products.add(ShopifyProductReader.product(node, variants.getOrDefault(id, List.of()), media.getOrDefault(id, List.of())));
    }
    return new Batch(products, lines.get(lines.size() - 1));
  }

  private void copy(StringBuilder csv) {
    if (csv.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      c.unwrap(PGConnection.class).getCopyAPI().copyIn(
          "copy shopify_bulk_lines (operation_id, line, parent, doc) from stdin (format csv)", new StringReader(csv.toString()));
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("staging the bulk export failed: " + e.getMessage(), e);
    }
  }
}
