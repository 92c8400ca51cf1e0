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
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A batch update's database work: the preview a dry run answers, the snapshot of matched ids, and
 * chunks applied (or reverted) one transaction each, each keeping the values it replaced. The
 * statements are in {@link BatchSql}; this class binds the request to their parameters.
 */
@Component
public class BatchUpdates {

  /** Tries of one chunk that another writer's commits interrupt, before the activity's retry takes over. */
  static final int CHUNK_TRIES = 10;

  /** The largest price a numeric(12,2) column holds. */
  static final BigDecimal MAX_PRICE = new BigDecimal("9999999999.99");

  /**
   * What a batch would do: counts and a sample of before → after; {@code tooLargePrices} and
   * {@code inventoriesOutOfRange}: variants whose new value its column cannot hold.
   */
  public record Preview(long products, long variants, long negativePrices, long tooLargePrices, long inventoriesOutOfRange,
      List<Map<String, Object>> sample) {}

  /** What one chunk changed: its products and variants (none when the batch changes no variant field), and its number. */
  public record Chunk(int products, int variants, long chunk) {}

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final TransactionTemplate chunkTransactions;
  private final Operations operations;

  public BatchUpdates(JdbcClient jdbc, TransactionTemplate transactions, Operations operations) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    // A chunk keeps the values it replaces, read in its statement's snapshot. Under READ COMMITTED
    // an UPDATE that waited for another writer's row goes on with that writer's value while the
    // kept one stays the older: a revert would wipe the writer's change. REPEATABLE READ refuses
    // such an UPDATE instead (serialization failure), and the chunk is tried again on a fresh snapshot.
    this.chunkTransactions = new TransactionTemplate(transactions.getTransactionManager(), transactions);
    this.chunkTransactions.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    this.operations = operations;
  }

  public Preview preview(BatchUpdateRequest request) {
    return preview(request, true);
  }

  /** The counts, and the sample only when {@code withSample}: a batch that runs has no use for it. */
  private Preview preview(BatchUpdateRequest request, boolean withSample) {
    Map<String, Object> params = matchParams(request);
    params.put("maxPrice", MAX_PRICE);
    Map<String, Object> counts = jdbc.sql(BatchSql.PREVIEW_COUNTS).params(params).query().singleRow();
    List<Map<String, Object>> sample = !withSample ? List.of()
        : jdbc.sql(BatchSql.PREVIEW_SAMPLE).params(params).query().listOfRows().stream().map(BatchUpdates::plain).toList();
    return new Preview(number(counts.get("products")), number(counts.get("variants")), number(counts.get("negative")),
        number(counts.get("too_large")), number(counts.get("inventory_out_of_range")), sample);
  }

  /**
   * Refuses a batch that would leave any matched price below zero, or any price or quantity beyond
   * what its column holds (every chunk reaching it would fail), naming the change. The sample is
   * computed for a dry run only.
   */
  public Preview validate(BatchUpdateRequest request) {
    Preview preview = preview(request, request.dryRun());
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

  /**
   * Records the matched products and variants once, in chunks of {@code chunkProducts} products;
   * answers the number of products.
   */
  public long snapshot(UUID operation, BatchUpdateRequest request, int chunkProducts) {
    return transactions.execute(tx -> {
      Map<String, Object> params = matchParams(request);
      params.put("op", operation);
      params.put("size", chunkProducts);
      jdbc.sql(BatchSql.DELETE_SNAPSHOT).param("op", operation).update();
      jdbc.sql(BatchSql.SNAPSHOT_CHUNKS).params(params).update();
      return jdbc.sql(BatchSql.COUNT_SNAPSHOT).param("op", operation).query(Long.class).single();
    });
  }

  /** The products a revert of {@code original} will put back. */
  public long toRevert(UUID original) {
    return jdbc.sql(BatchSql.COUNT_TO_REVERT).param("op", original).query(Long.class).single();
  }

  /**
   * The next chunk not yet applied after chunk {@code after}: the values its products and variants
   * hold now are kept, they are changed, the chunk is marked applied and the operation's counts
   * move — one transaction, so a retry never applies twice and the counts always match the data.
   * Empty when no chunk is left.
   */
  public Optional<Chunk> applyNext(UUID operation, Changes changes, long after) {
    Map<String, Object> params = changeParams(changes);
    params.putAll(chunkParams(operation, after, changes));
    return next(BatchSql.APPLY_NEXT, BatchSql.ANY_TO_APPLY, operation, operation, changes, params);
  }

  /**
   * Puts back, for the next applied chunk of {@code original} after chunk {@code after}, the values
   * it replaced — only the fields it changed, so later edits of other fields stay. Empty when no
   * chunk is left.
   */
  public Optional<Chunk> revertNext(UUID revert, UUID original, Changes changes, long after) {
    return next(BatchSql.REVERT_NEXT, BatchSql.ANY_TO_REVERT, original, revert, changes, chunkParams(original, after, changes));
  }

  /**
   * What both chunk statements are told: the snapshot's operation, the chunk to start after, and
   * which fields the batch changes — those an apply keeps and a revert puts back.
   */
  private static Map<String, Object> chunkParams(UUID snapshot, long after, Changes changes) {
    Map<String, Object> params = new HashMap<>();
    params.put("op", snapshot);
    params.put("after", after);
    params.put("touchesVariants", changes.touchesVariants());
    params.put("touchesProducts", changes.touchesProducts());
    params.put("changesPrice", changes.price() != null);
    params.put("changesCompareAtPrice", changes.compareAtPrice() != null);
    params.put("changesInventory", changes.inventory() != null);
    params.put("changesTags", changes.tags() != null);
    params.put("changesStatus", changes.status() != null);
    return params;
  }

  /**
   * Runs {@code statement} on the next chunk and counts it for {@code counted}, in one transaction.
   * When it finds no chunk although {@code anyLeft} says some remain, an overlapping attempt (a
   * retry started while a stale one still ran) has committed chunks meanwhile: it looks again from
   * the first chunk, whose marks tell which are done.
   */
  private Optional<Chunk> next(String statement, String anyLeft, UUID snapshot, UUID counted, Changes changes,
      Map<String, Object> params) {
    while (true) {
      Optional<Chunk> chunk = inOneSnapshot(() -> jdbc.sql(statement).params(params)
          .query((rs, n) -> new Chunk(rs.getInt("products"), changes.touchesVariants() ? rs.getInt("variants") : 0,
              rs.getLong("chunk")))
          .optional()
          .map(done -> counted(counted, done)));
      if (chunk.isPresent() || !jdbc.sql(anyLeft).param("op", snapshot).query(Boolean.class).single()) {
        return chunk;
      }
      params.put("after", -1L);
    }
  }

  /**
   * {@code work} in a REPEATABLE READ transaction, tried again while a concurrent writer's commit
   * (or a deadlock with it) refuses it; past {@link #CHUNK_TRIES} the failure goes to Temporal's
   * retry, as an outage does.
   */
  private <T> T inOneSnapshot(Supplier<T> work) {
    for (int tries = 1; ; tries++) {
      try {
        return chunkTransactions.execute(tx -> work.get());
      } catch (ConcurrencyFailureException e) {
        if (tries == CHUNK_TRIES) {
          throw e;
        }
      }
    }
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
