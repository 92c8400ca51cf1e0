package com.storeops.icons;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The icons feature's statements: the only writer of {@code product_icons} and
 * {@code icon_operation_products}, and what the feature
 * reads of {@code products} and {@code product_images}. Writes join the caller's transaction, so a
 * product's icons commit with the operation's count of them.
 */
@Repository
public class IconRepository {

  /** What a product's icons are drawn from: its first image, or (without one) its handle and title. */
  public record ProductSource(String handle, String title, String imageSrc) {}

  /** An icon as served: the hash of the source it was drawn from, and the PNG. */
  public record StoredIcon(String sourceHash, byte[] png) {}

  private final JdbcClient jdbc;

  public IconRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public long countProducts() {
    return jdbc.sql("""
        select count(*) from products where deleted_at is null""")
        .query(Long.class).single();
  }

  /** Products that are not deleted, after {@code after} in id order. */
  public List<Long> productsAfter(long after, int limit) {
    return jdbc.sql("""
        select id from products
        where deleted_at is null and id > ?
        order by id
        limit ?""")
        .param(after).param(limit).query(Long.class).list();
  }

  /** Those of {@code ids} that exist, after {@code after} in id order. */
  public List<Long> productsAfter(List<Long> ids, long after, int limit) {
    return jdbc.sql("""
        select p.id
        from unnest(cast(? as bigint[])) as t(id)
        join products p on p.id = t.id
        where p.id > ?
        order by p.id
        limit ?""")
        .param(ids.toArray(Long[]::new)).param(after).param(limit).query(Long.class).list();
  }

  public Optional<ProductSource> source(long productId) {
    return jdbc.sql("""
        select p.handle, p.title,
               (select i.src from product_images i where i.product_id = p.id order by i.position, i.id limit 1)
        from products p
        where p.id = ?""")
        .param(productId)
        .query((rs, n) -> new ProductSource(rs.getString(1), rs.getString(2), rs.getString(3)))
        .optional();
  }

  /** Whether the product has an icon of every one of {@code sizes} drawn from the source with {@code hash}. */
  public boolean hasIcons(long productId, String hash, Collection<Integer> sizes) {
    Set<Integer> current = Set.copyOf(jdbc.sql("""
        select size from product_icons where product_id = ? and source_hash = ?""")
        .param(productId).param(hash).query(Integer.class).list());
    return current.containsAll(sizes);
  }

  /** Stores the product's icons by size in pixels, replacing those it had of these sizes. */
  public void store(long productId, String hash, Map<Integer, byte[]> icons) {
    jdbc.sql("""
        insert into product_icons (product_id, size, source_hash, png)
        select ?, t.size, ?, t.png from unnest(cast(? as integer[]), cast(? as bytea[])) as t(size, png)
        on conflict (product_id, size) do update set source_hash = excluded.source_hash, png = excluded.png, created_at = now()""")
        .param(productId).param(hash).param(icons.keySet().toArray(Integer[]::new)).param(icons.values().toArray(byte[][]::new))
        .update();
  }

  public Optional<StoredIcon> icon(long productId, int pixels) {
    return jdbc.sql("""
        select source_hash, png from product_icons where product_id = ? and size = ?""")
        .param(productId).param(pixels)
        .query((rs, n) -> new StoredIcon(rs.getString(1), rs.getBytes(2)))
        .optional();
  }

  /** Whether the operation has counted the product already (an earlier attempt committed it). */
  public boolean counted(UUID operationId, long productId) {
    return jdbc.sql("""
        select exists (select 1 from icon_operation_products where operation_id = ? and product_id = ?)""")
        .param(operationId).param(productId).query(Boolean.class).single();
  }

  /**
   * Marks the product counted by the operation, in the caller's transaction (the product's own);
   * false when it was marked already, and with it its icons, counts and errors written.
   */
  public boolean markCounted(UUID operationId, long productId) {
    return jdbc.sql("""
        insert into icon_operation_products (operation_id, product_id) values (?, ?) on conflict do nothing""")
        .param(operationId).param(productId).update() == 1;
  }
}
