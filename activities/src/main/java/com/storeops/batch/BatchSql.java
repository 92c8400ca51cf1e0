package com.storeops.batch;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A batch spec as SQL: the filter as a WHERE over {@code products p left join product_variants v},
 * and the changes as SET expressions. Every value is a named bind parameter; no request text is
 * ever part of the SQL.
 */
final class BatchSql {

  private BatchSql() {}

  /** Conditions for {@code products p left join product_variants v on v.product_id = p.id}. */
  static String where(BatchSpec.Filter f, Map<String, Object> params) {
    List<String> conditions = new ArrayList<>(List.of("p.deleted_at is null"));
    if (!f.handles().isEmpty()) {
      conditions.add("p.handle in (select unnest(cast(:handles as text[])))");
      params.put("handles", f.handles().toArray(String[]::new));
    }
    if (!f.skus().isEmpty()) {
      conditions.add("v.sku in (select unnest(cast(:skus as text[])))");
      params.put("skus", f.skus().toArray(String[]::new));
    }
    add(conditions, params, "p.vendor = :vendor", "vendor", f.vendor());
    add(conditions, params, "p.product_type = :productType", "productType", f.productType());
    add(conditions, params, ":tag = any(p.tags)", "tag", f.tag());
    add(conditions, params, "p.status = :status", "status", f.status());
    add(conditions, params, "p.updated_at < :updatedBefore", "updatedBefore",
        f.updatedBefore() == null ? null : Timestamp.from(f.updatedBefore()));
    return String.join(" and ", conditions);
  }

  /** The new price of variant {@code v}, or {@code v.price} when the price does not change. */
  static String price(BatchSpec.Changes c, Map<String, Object> params) {
    if (c.priceMode() == null) {
      return "v.price";
    }
    params.put("price", c.price());
    return switch (c.priceMode()) {
      case "set" -> "cast(:price as numeric)";
      case "percent" -> "round(v.price * (100 + cast(:price as numeric)) / 100, 2)";
      default -> "v.price + cast(:price as numeric)";
    };
  }

  static String compareAt(BatchSpec.Changes c, Map<String, Object> params) {
    if (c.compareAtMode() == null) {
      return "v.compare_at_price";
    }
    if (c.compareAtMode().equals("clear")) {
      return "cast(null as numeric)";
    }
    params.put("compareAt", c.compareAtPrice());
    return "cast(:compareAt as numeric)";
  }

  static String inventory(BatchSpec.Changes c, Map<String, Object> params) {
    if (c.inventoryMode() == null) {
      return "v.inventory_quantity";
    }
    params.put("inventory", c.inventory());
    return c.inventoryMode().equals("set") ? "cast(:inventory as integer)" : "coalesce(v.inventory_quantity, 0) + cast(:inventory as integer)";
  }

  /** Tags added (after the existing ones, no repeats) and removed, order kept. */
  static String tags(BatchSpec.Changes c, Map<String, Object> params) {
    if (c.addTags().isEmpty() && c.removeTags().isEmpty()) {
      return "p.tags";
    }
    params.put("addTags", c.addTags().toArray(String[]::new));
    params.put("removeTags", c.removeTags().toArray(String[]::new));
    return "array(select u.t from unnest(p.tags || cast(:addTags as text[])) with ordinality as u(t, i)"
        + " where u.t <> all(cast(:removeTags as text[])) group by u.t order by min(u.i))";
  }

  static String status(BatchSpec.Changes c, Map<String, Object> params) {
    if (c.status() == null) {
      return "p.status";
    }
    params.put("newStatus", c.status());
    return ":newStatus";
  }

  private static void add(List<String> conditions, Map<String, Object> params, String condition, String name, Object value) {
    if (value != null) {
      conditions.add(condition);
      params.put(name, value);
    }
  }
}
