package com.storeops.batch;

import com.storeops.batch.BatchUpdateRequest.Changes;
import com.storeops.batch.BatchUpdateRequest.Filter;
import com.storeops.operations.OperationCounts;
import com.storeops.operations.Operations;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A batch update's database work: the preview a dry run answers, the snapshot of matched ids, and
 * chunks applied (or reverted) one transaction each, each keeping the values it replaced. The
 * statements are in {@link BatchSql}; this class binds the request to their parameters.
 */
@Component
public class BatchUpdates {

  /** The largest price a numeric(12,2) column holds. */
  static final BigDecimal MAX_PRICE = new BigDecimal("9999999999.99");

  /**
   * What a batch would do: counts and a sample of before → after; {@code tooLargePrices} and
   * {@code inventoriesOutOfRange}: variants whose new value its column cannot hold.
   */
  public record Preview(long products, long variants, long negativePrices, long tooLargePrices, long inventoriesOutOfRange,
      List<Map<String, Object>> sample) {}

  /** What one chunk changed, and its last product id; {@code products == 0} when nothing was left to do. */
  public record Chunk(int products, int variants, long last) {}

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Operations operations;

  public BatchUpdates(JdbcClient jdbc, TransactionTemplate transactions, Operations operations) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.operations = operations;
  }

  public Preview preview(BatchUpdateRequest request) {
    Map<String, Object> params = matchParams(request);
    params.put("maxPrice", MAX_PRICE);
    Map<String, Object> counts = jdbc.sql(BatchSql.PREVIEW_COUNTS).params(params).query().singleRow();
    List<Map<String, Object>> sample = jdbc.sql(BatchSql.PREVIEW_SAMPLE).params(params).query().listOfRows().stream()
        .map(BatchUpdates::plain).toList();
    return new Preview(number(counts.get("products")), number(counts.get("variants")), number(counts.get("negative")),
        number(counts.get("too_large")), number(counts.get("inventory_out_of_range")), sample);
  }

  /**
   * Refuses a batch that would leave any matched price below zero, or any price or quantity beyond
   * what its column holds (every chunk reaching it would fail), naming the change.
   */
  public Preview validate(BatchUpdateRequest request) {
    Preview preview = preview(request);
    BatchUpdateRequest.PriceChange price = request.changes().price();
    String pricePath = price == null ? "changes" : "changes.price." + price.mode().name().toLowerCase(Locale.ROOT);
    if (preview.negativePrices() > 0) {
      throw new BatchRequestException(pricePath, "would make " + preview.negativePrices() + " variant price(s) negative");
    }
    if (preview.tooLargePrices() > 0) {
      throw new BatchRequestException(pricePath, "would make " + preview.tooLargePrices() + " variant price(s) larger than "
          + MAX_PRICE.toPlainString() + ", the most a price holds");
    }
    if (preview.inventoriesOutOfRange() > 0) {
      BatchUpdateRequest.InventoryChange inventory = request.changes().inventory();
      throw new BatchRequestException("changes.inventory." + inventory.mode().name().toLowerCase(Locale.ROOT), "would take "
          + preview.inventoriesOutOfRange() + " variant inventory quantit(ies) beyond ±2147483647, the most a quantity holds");
    }
    return preview;
  }

  /** Records the matched products and variants once; answers the number of products. */
  public long snapshot(UUID operation, BatchUpdateRequest request) {
    return transactions.execute(tx -> {
      Map<String, Object> params = matchParams(request);
      params.put("op", operation);
      jdbc.sql(BatchSql.DELETE_SNAPSHOT_PRODUCTS).param("op", operation).update();
      jdbc.sql(BatchSql.SNAPSHOT_PRODUCTS).params(params).update();
      return jdbc.sql(BatchSql.COUNT_SNAPSHOT).param("op", operation).query(Long.class).single();
    });
  }

  /** The products a revert of {@code original} will put back. */
  public long toRevert(UUID original) {
    return jdbc.sql(BatchSql.COUNT_TO_REVERT).param("op", original).query(Long.class).single();
  }

  /**
   * The next {@code size} products not yet applied, in id order: they are marked applied with the
   * values they and their variants hold now, then changed, and the operation's counts move — one
   * transaction, so a retry never applies twice and the counts always match the data.
   */
  public Chunk applyNext(UUID operation, Changes changes, long after, int size) {
    return transactions.execute(tx -> {
      Long last = lastOfNext(BatchSql.LAST_OF_NEXT_TO_APPLY, operation, after, size);
      if (last == null) {
        return new Chunk(0, 0, after);
      }
      List<Long> ids = jdbc.sql(BatchSql.MARK_APPLIED).param("op", operation).param("after", after).param("last", last)
          .query(Long.class).list();
      Map<String, Object> params = changeParams(changes);
      params.put("op", operation);
      params.put("ids", ids.toArray(Long[]::new));
      int variants = changes.touchesVariants() ? jdbc.sql(BatchSql.CHANGE_VARIANTS).params(params).update() : 0;
      if (changes.touchesProducts()) {
        jdbc.sql(BatchSql.CHANGE_PRODUCTS).params(params).update();
      }
      return counted(operation, new Chunk(ids.size(), variants, last));
    });
  }

  /**
   * Puts back, for the next {@code size} applied products of {@code original}, the values it
   * replaced — only the fields it changed, so later edits of other fields stay.
   */
  public Chunk revertNext(UUID revert, UUID original, Changes changes, long after, int size) {
    return transactions.execute(tx -> {
      Long last = lastOfNext(BatchSql.LAST_OF_NEXT_TO_REVERT, original, after, size);
      if (last == null) {
        return new Chunk(0, 0, after);
      }
      List<Long> ids = jdbc.sql(BatchSql.MARK_REVERTED).param("op", original).param("after", after).param("last", last)
          .query(Long.class).list();
      Map<String, Object> params = new HashMap<>();
      params.put("op", original);
      params.put("ids", ids.toArray(Long[]::new));
      params.put("revertPrice", changes.price() != null);
      params.put("revertCompareAtPrice", changes.compareAtPrice() != null);
      params.put("revertInventory", changes.inventory() != null);
      params.put("revertTags", changes.tags() != null);
      params.put("revertStatus", changes.status() != null);
      int variants = changes.touchesVariants() ? jdbc.sql(BatchSql.REVERT_VARIANTS).params(params).update() : 0;
      if (changes.touchesProducts()) {
        jdbc.sql(BatchSql.REVERT_PRODUCTS).params(params).update();
      }
      return counted(revert, new Chunk(ids.size(), variants, last));
    });
  }

  /** The next {@code size} products of {@code snapshot} after product {@code after}, in id order. */
  public List<Long> productsToPush(UUID snapshot, long after, int size) {
    return jdbc.sql(BatchSql.PRODUCTS_TO_PUSH).param("op", snapshot).param("after", after).param("size", size)
        .query(Long.class).list();
  }

  /** The variants of {@code snapshot} that belong to these products. */
  public List<Long> variantsToPush(UUID snapshot, List<Long> products) {
    return jdbc.sql(BatchSql.VARIANTS_TO_PUSH).param("op", snapshot).param("ids", products.toArray(Long[]::new))
        .query(Long.class).list();
  }

  /** Adds the chunk to the operation's counts, in the chunk's transaction: counts never drift from the data. */
  private Chunk counted(UUID operation, Chunk chunk) {
    operations.addCounts(operation, new OperationCounts(chunk.products(), chunk.variants(), 0, 0));
    return chunk;
  }

  private Long lastOfNext(String statement, UUID operation, long after, int size) {
    return jdbc.sql(statement).param("op", operation).param("after", after).param("size", size)
        .query(Long.class).optional().orElse(null);
  }

  /** The filter's parameters and the changes' (the matched rows carry their new price). */
  private static Map<String, Object> matchParams(BatchUpdateRequest request) {
    Map<String, Object> params = changeParams(request.changes());
    Filter f = request.filter();
    params.put("handles", f.handles().toArray(String[]::new));
    params.put("skus", f.skus().toArray(String[]::new));
    params.put("vendor", f.vendor());
    params.put("productType", f.productType());
    params.put("tag", f.tag());
    params.put("status", f.status() == null ? null : f.status().stored());
    params.put("updatedBefore", f.updatedBefore() == null ? null : Timestamp.from(f.updatedBefore()));
    return params;
  }

  /** A change not asked for binds its mode as null: its column keeps its value. */
  private static Map<String, Object> changeParams(Changes c) {
    Map<String, Object> params = new HashMap<>();
    params.put("priceMode", c.price() == null ? null : c.price().mode().name());
    params.put("price", c.price() == null ? null : c.price().amount());
    params.put("compareAtMode", c.compareAtPrice() == null ? null : c.compareAtPrice().mode().name());
    params.put("compareAtPrice", c.compareAtPrice() == null ? null : c.compareAtPrice().set());
    params.put("inventoryMode", c.inventory() == null ? null : c.inventory().mode().name());
    params.put("inventory", c.inventory() == null ? null : c.inventory().amount());
    params.put("changeTags", c.tags() != null);
    params.put("addTags", (c.tags() == null ? List.<String>of() : c.tags().add()).toArray(String[]::new));
    params.put("removeTags", (c.tags() == null ? List.<String>of() : c.tags().remove()).toArray(String[]::new));
    params.put("newStatus", c.status() == null ? null : c.status().set().stored());
    return params;
  }

  /** A row with SQL arrays as lists, ready for JSON. */
  private static Map<String, Object> plain(Map<String, Object> row) {
    Map<String, Object> plain = new LinkedHashMap<>();
    row.forEach((column, value) -> {
      try {
        plain.put(column, value instanceof Array array ? List.of((Object[]) array.getArray()) : value);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    return plain;
  }

  private static long number(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }
}
