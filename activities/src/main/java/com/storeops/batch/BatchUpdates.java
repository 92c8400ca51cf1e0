package com.storeops.batch;

import java.sql.Array;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A batch update's database work: the preview a dry run answers, the snapshot of matched ids, and
 * chunks applied (or reverted) one transaction each, each keeping the values it replaced.
 */
@Component
public class BatchUpdates {

  /** What a batch would do: counts and a sample of before → after. */
  public record Preview(long products, long variants, long negativePrices, List<Map<String, Object>> sample) {}

  /** What one chunk changed, and its last product id; {@code products == 0} when nothing was left to do. */
  public record Chunk(int products, int variants, long last) {}

  private static final String MATCHED = " from products p left join product_variants v on v.product_id = p.id where ";

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  public BatchUpdates(JdbcClient jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  public Preview preview(BatchSpec spec) {
    Map<String, Object> params = new HashMap<>();
    String where = BatchSql.where(spec.filter(), params);
    String price = BatchSql.price(spec.changes(), params);
    Map<String, Object> counts = jdbc.sql("select count(distinct p.id) as products, count(v.id) as variants,"
            + " count(*) filter (where " + price + " < 0) as negative" + MATCHED + where)
        .params(params).query().singleRow();
    List<Map<String, Object>> sample = jdbc.sql("select v.id as \"variantId\", p.handle, v.sku,"
            + " v.price as \"priceBefore\", " + price + " as \"priceAfter\","
            + " v.compare_at_price as \"compareAtPriceBefore\", " + BatchSql.compareAt(spec.changes(), params) + " as \"compareAtPriceAfter\","
            + " v.inventory_quantity as \"inventoryBefore\", " + BatchSql.inventory(spec.changes(), params) + " as \"inventoryAfter\","
            + " p.tags as \"tagsBefore\", " + BatchSql.tags(spec.changes(), params) + " as \"tagsAfter\","
            + " p.status as \"statusBefore\", " + BatchSql.status(spec.changes(), params) + " as \"statusAfter\""
            + MATCHED + where + " order by p.id, v.id limit 10")
        .params(params).query().listOfRows().stream().map(BatchUpdates::plain).toList();
    return new Preview(number(counts.get("products")), number(counts.get("variants")), number(counts.get("negative")), sample);
  }

  /** Refuses a batch that would leave any matched price below zero, naming the change. */
  public Preview validate(BatchSpec spec) {
    Preview preview = preview(spec);
    if (preview.negativePrices() > 0) {
      throw new BatchSpecException("changes.price." + spec.changes().priceMode(),
          "would make " + preview.negativePrices() + " variant price(s) negative");
    }
    return preview;
  }

  /** Records the matched products and variants once; answers the number of products. */
  public long snapshot(UUID operation, BatchSpec spec) {
    return transactions.execute(tx -> {
      Map<String, Object> params = new HashMap<>();
      String where = BatchSql.where(spec.filter(), params);
      params.put("op", operation);
      jdbc.sql("delete from batch_update_variants where operation_id = :op").params(params).update();
      jdbc.sql("delete from batch_update_products where operation_id = :op").params(params).update();
      jdbc.sql("insert into batch_update_products (operation_id, product_id) select distinct :op, p.id" + MATCHED + where)
          .params(params).update();
      jdbc.sql("insert into batch_update_variants (operation_id, variant_id, product_id) select :op, v.id, v.product_id"
          + MATCHED + where + " and v.id is not null").params(params).update();
      return jdbc.sql("select count(*) from batch_update_products where operation_id = ?").param(operation).query(Long.class).single();
    });
  }

  /**
   * The next {@code size} products not yet applied, in id order: their current values are kept,
   * then changed, they are marked applied and the operation's counts move — one transaction, so a
   * retry never applies twice and the counts always match the data.
   */
  public Chunk applyNext(UUID operation, BatchSpec spec, long after, int size) {
    return transactions.execute(tx -> {
      Long last = lastOfNext(operation, after, size, "not applied");
      if (last == null) {
        return new Chunk(0, 0, after);
      }
      Map<String, Object> params = chunkParams(operation, jdbc.sql("""
          update batch_update_products b set prev_tags = p.tags, prev_status = p.status, applied = true
          from products p where b.operation_id = ? and not b.applied and b.product_id > ? and b.product_id <= ?
            and p.id = b.product_id
          returning b.product_id""").param(operation).param(after).param(last).query(Long.class).list());
      jdbc.sql("update batch_update_variants b set prev_price = v.price, prev_compare_at_price = v.compare_at_price,"
          + " prev_inventory = v.inventory_quantity from product_variants v" + IN_CHUNK + " and v.id = b.variant_id")
          .params(params).update();
      BatchSpec.Changes c = spec.changes();
      int variants = !c.touchesVariants() ? 0 : jdbc.sql("update product_variants v set price = " + BatchSql.price(c, params)
          + ", compare_at_price = " + BatchSql.compareAt(c, params) + ", inventory_quantity = " + BatchSql.inventory(c, params)
          + ", updated_at = now() from batch_update_variants b" + IN_CHUNK + " and v.id = b.variant_id").params(params).update();
      if (c.touchesProducts()) {
        jdbc.sql("update products p set tags = " + BatchSql.tags(c, params) + ", status = " + BatchSql.status(c, params)
            + ", updated_at = now() from batch_update_products b" + IN_CHUNK + " and p.id = b.product_id").params(params).update();
      }
      return counted(operation, new Chunk(((Long[]) params.get("ids")).length, variants, last));
    });
  }

  /**
   * Puts back, for the next {@code size} applied products of {@code original}, the values it
   * replaced — only the fields it changed, so later edits of other fields stay.
   */
  public Chunk revertNext(UUID revert, UUID original, BatchSpec spec, long after, int size) {
    return transactions.execute(tx -> {
      Long last = lastOfNext(original, after, size, "applied and not reverted");
      if (last == null) {
        return new Chunk(0, 0, after);
      }
      Map<String, Object> params = chunkParams(original, jdbc.sql("""
          update batch_update_products set reverted = true
          where operation_id = ? and applied and not reverted and product_id > ? and product_id <= ? returning product_id""")
          .param(original).param(after).param(last).query(Long.class).list());
      BatchSpec.Changes c = spec.changes();
      int variants = !c.touchesVariants() ? 0 : jdbc.sql("update product_variants v set price = "
          + (c.priceMode() == null ? "v.price" : "b.prev_price")
          + ", compare_at_price = " + (c.compareAtMode() == null ? "v.compare_at_price" : "b.prev_compare_at_price")
          + ", inventory_quantity = " + (c.inventoryMode() == null ? "v.inventory_quantity" : "b.prev_inventory")
          + ", updated_at = now() from batch_update_variants b" + IN_CHUNK + " and v.id = b.variant_id").params(params).update();
      if (c.touchesProducts()) {
        jdbc.sql("update products p set tags = " + (c.addTags().isEmpty() && c.removeTags().isEmpty() ? "p.tags" : "b.prev_tags")
            + ", status = " + (c.status() == null ? "p.status" : "b.prev_status")
            + ", updated_at = now() from batch_update_products b" + IN_CHUNK + " and p.id = b.product_id").params(params).update();
      }
      return counted(revert, new Chunk(((Long[]) params.get("ids")).length, variants, last));
    });
  }

  /** Adds the chunk to the operation's counts, in the chunk's transaction: counts never drift from the data. */
  private Chunk counted(UUID operation, Chunk chunk) {
    jdbc.sql("update operations set items_done = items_done + ?, succeeded_count = succeeded_count + ?, updated_at = now()"
        + " where id = ?").param(chunk.products()).param(chunk.variants()).param(operation).update();
    return chunk;
  }

  /** This chunk's rows of {@code b}: the product ids the chunk marked, bound as an array. */
  private static final String IN_CHUNK =
      ", unnest(cast(:ids as bigint[])) as chunk(id) where chunk.id = b.product_id and b.operation_id = :op";

  private static Map<String, Object> chunkParams(UUID operation, List<Long> ids) {
    Map<String, Object> params = new HashMap<>();
    params.put("op", operation);
    params.put("ids", ids.toArray(Long[]::new));
    return params;
  }

  /** Keyset: the last id of the next chunk after {@code after}, walking the primary key, never the done rows again. */
  private Long lastOfNext(UUID operation, long after, int size, String condition) {
    return jdbc.sql("select max(product_id) from (select product_id from batch_update_products where operation_id = ?"
            + " and product_id > ? and " + condition + " order by product_id limit ?) as chunk")
        .param(operation).param(after).param(size).query(Long.class).optional().orElse(null);
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
