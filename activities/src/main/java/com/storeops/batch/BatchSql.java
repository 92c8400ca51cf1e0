package com.storeops.batch;

/**
 * Every statement of a batch update. Values are named parameters, never request text; a change
 * that is not asked for has its mode parameter null and leaves its column as it is, so each
 * statement has one shape whatever the request.
 *
 * <p>{@link #MATCHED} is the filter — the products, and their variants, a request selects — and
 * starts the three statements that need it (the preview's two and the snapshot);
 * {@code BatchSqlTest} prints each statement whole.
 */
final class BatchSql {

  private BatchSql() {}

  /**
   * A {@code with} query of the rows of {@code products p left join product_variants v} the filter
   * selects (a null or empty criterion selects all), with each variant's new price and inventory
   * (as bigint, so that a sum no integer holds is counted, not raised). Each statement
   * below reads it once, so PostgreSQL inlines it and computes only the columns that statement uses.
   */
  static final String MATCHED = """
      with matched as (
        select p.id as product_id, v.id as variant_id, p.handle, v.sku, v.price,
               case cast(:priceMode as text)
                 when 'SET' then cast(:price as numeric)
                 when 'PERCENT' then round(v.price * (100 + cast(:price as numeric)) / 100, 2)
                 when 'ADD' then v.price + cast(:price as numeric)
                 else v.price end as new_price,
               case cast(:inventoryMode as text)
                 when 'SET' then cast(:inventory as bigint)
                 when 'ADD' then coalesce(v.inventory_quantity, 0) + cast(:inventory as bigint)
                 else v.inventory_quantity end as new_inventory,
               v.compare_at_price, v.inventory_quantity, p.tags, p.status
        from products p left join product_variants v on v.product_id = p.id
        where p.deleted_at is null
          and (cardinality(cast(:handles as text[])) = 0 or p.handle = any(cast(:handles as text[])))
          and (cardinality(cast(:skus as text[])) = 0 or v.sku = any(cast(:skus as text[])))
          and (cast(:vendor as text) is null or p.vendor = :vendor)
          and (cast(:productType as text) is null or p.product_type = :productType)
          and (cast(:tag as text) is null or :tag = any(p.tags))
          and (cast(:status as text) is null or p.status = :status)
          and (cast(:updatedBefore as timestamptz) is null or p.updated_at < :updatedBefore)
      )
      """;

  /**
   * What a batch would do, in counts; {@code negative}: variants whose price would go below zero,
   * {@code too_large}: whose price numeric(12,2) cannot hold, {@code inventory_out_of_range}: whose
   * quantity an integer cannot hold.
   */
  static final String PREVIEW_COUNTS = MATCHED + """
      select count(distinct product_id) as products, count(variant_id) as variants,
             count(*) filter (where new_price < 0) as negative,
             count(*) filter (where new_price > :maxPrice) as too_large,
             count(*) filter (where new_inventory not between -2147483648 and 2147483647) as inventory_out_of_range
      from matched""";

  /** Ten variants' values before and after, in id order. */
  static final String PREVIEW_SAMPLE = MATCHED + """
      select variant_id as "variantId", handle, sku, price as "priceBefore", new_price as "priceAfter",
             compare_at_price as "compareAtPriceBefore",
             case cast(:compareAtMode as text)
               when 'SET' then cast(:compareAtPrice as numeric)
               when 'CLEAR' then null
               else compare_at_price end as "compareAtPriceAfter",
             inventory_quantity as "inventoryBefore", new_inventory as "inventoryAfter",
             tags as "tagsBefore",
             case when cast(:changeTags as boolean)
               then array(select u.t from unnest(tags || cast(:addTags as text[])) with ordinality as u(t, i)
                          where u.t <> all(cast(:removeTags as text[])) group by u.t order by min(u.i))
               else tags end as "tagsAfter",
             status as "statusBefore", coalesce(cast(:newStatus as text), status) as "statusAfter"
      from matched
      order by product_id, variant_id
      limit 10""";

  /**
   * The snapshot of operation {@code :op}, the set its chunks walk: a row per matched product with
   * the ids of its matched variants (a {@code skus} filter matches only some of a product's).
   */
  static final String SNAPSHOT_PRODUCTS = MATCHED + """
      insert into batch_update_products (operation_id, product_id, variant_ids)
      select :op, product_id, coalesce(array_agg(variant_id order by variant_id) filter (where variant_id is not null), '{}')
      from matched group by product_id""";

  /** A retried snapshot starts over: this clears what an earlier attempt recorded. */
  static final String DELETE_SNAPSHOT_PRODUCTS = "delete from batch_update_products where operation_id = :op";

  static final String COUNT_SNAPSHOT = "select count(*) from batch_update_products where operation_id = :op";

  static final String COUNT_TO_REVERT = """
      select count(*) from batch_update_products where operation_id = :op and applied and not reverted""";

  /** Keyset: the last product id of the next chunk after {@code :after}, never walking done rows again. */
  static final String LAST_OF_NEXT_TO_APPLY = """
      select max(product_id) from (
        select product_id from batch_update_products
        where operation_id = :op and product_id > :after and not applied
        order by product_id limit :size) as chunk""";

  static final String LAST_OF_NEXT_TO_REVERT = """
      select max(product_id) from (
        select product_id from batch_update_products
        where operation_id = :op and product_id > :after and applied and not reverted
        order by product_id limit :size) as chunk""";

  /**
   * Marks the chunk applied and keeps, in the same row write, the values its products and their
   * variants hold before the change (what a revert puts back; the variants' in the order of
   * {@code variant_ids}); answers its product ids.
   */
  static final String MARK_APPLIED = """
      update batch_update_products b
      set prev_tags = p.tags, prev_status = p.status, applied = true,
          (prev_prices, prev_compare_at_prices, prev_inventories) = (
            select array_agg(v.price order by x.i), array_agg(v.compare_at_price order by x.i),
                   array_agg(v.inventory_quantity order by x.i)
            from unnest(b.variant_ids) with ordinality as x(id, i) left join product_variants v on v.id = x.id)
      from products p
      where b.operation_id = :op and not b.applied and b.product_id > :after and b.product_id <= :last
        and p.id = b.product_id
      returning b.product_id""";

  static final String CHANGE_VARIANTS = """
      update product_variants v
      set price = case cast(:priceMode as text)
                    when 'SET' then cast(:price as numeric)
                    when 'PERCENT' then round(v.price * (100 + cast(:price as numeric)) / 100, 2)
                    when 'ADD' then v.price + cast(:price as numeric)
                    else v.price end,
          compare_at_price = case cast(:compareAtMode as text)
                               when 'SET' then cast(:compareAtPrice as numeric)
                               when 'CLEAR' then null
                               else v.compare_at_price end,
          inventory_quantity = case cast(:inventoryMode as text)
                                 when 'SET' then cast(:inventory as integer)
                                 when 'ADD' then coalesce(v.inventory_quantity, 0) + cast(:inventory as integer)
                                 else v.inventory_quantity end,
          updated_at = now()
      from batch_update_products b, unnest(cast(:ids as bigint[])) as chunk(id), unnest(b.variant_ids) as x(id)
      where chunk.id = b.product_id and b.operation_id = :op and v.id = x.id""";

  /** Tags: added after the existing ones, no repeats, order kept; removed ones dropped. */
  static final String CHANGE_PRODUCTS = """
      update products p
      set tags = case when cast(:changeTags as boolean)
                   then array(select u.t from unnest(p.tags || cast(:addTags as text[])) with ordinality as u(t, i)
                              where u.t <> all(cast(:removeTags as text[])) group by u.t order by min(u.i))
                   else p.tags end,
          status = coalesce(cast(:newStatus as text), p.status),
          updated_at = now()
      from batch_update_products b, unnest(cast(:ids as bigint[])) as chunk(id)
      where chunk.id = b.product_id and b.operation_id = :op and p.id = b.product_id""";

  /** Marks the next chunk of the original reverted; answers its product ids. */
  static final String MARK_REVERTED = """
      update batch_update_products set reverted = true
      where operation_id = :op and applied and not reverted and product_id > :after and product_id <= :last
      returning product_id""";

  /** Puts back only the fields the original changed, so later edits of other fields stay. */
  static final String REVERT_VARIANTS = """
      update product_variants v
      set price = case when cast(:revertPrice as boolean) then x.price else v.price end,
          compare_at_price = case when cast(:revertCompareAtPrice as boolean) then x.compare_at_price else v.compare_at_price end,
          inventory_quantity = case when cast(:revertInventory as boolean) then x.inventory else v.inventory_quantity end,
          updated_at = now()
      from batch_update_products b, unnest(cast(:ids as bigint[])) as chunk(id),
           unnest(b.variant_ids, b.prev_prices, b.prev_compare_at_prices, b.prev_inventories) as x(id, price, compare_at_price, inventory)
      where chunk.id = b.product_id and b.operation_id = :op and v.id = x.id""";

  static final String REVERT_PRODUCTS = """
      update products p
      set tags = case when cast(:revertTags as boolean) then b.prev_tags else p.tags end,
          status = case when cast(:revertStatus as boolean) then b.prev_status else p.status end,
          updated_at = now()
      from batch_update_products b, unnest(cast(:ids as bigint[])) as chunk(id)
      where chunk.id = b.product_id and b.operation_id = :op and p.id = b.product_id""";

  /** The next products of a snapshot to push to Shopify, after {@code :after} in id order. */
  static final String PRODUCTS_TO_PUSH = """
      select product_id from batch_update_products
      where operation_id = :op and product_id > :after
      order by product_id limit :size""";

  /** The snapshot's variants of those products: a {@code skus} filter matched only some of a product's. */
  static final String VARIANTS_TO_PUSH = """
      select x.id from batch_update_products b, unnest(b.variant_ids) as x(id)
      where b.operation_id = :op and b.product_id = any(cast(:ids as bigint[]))
      order by x.id""";
}
