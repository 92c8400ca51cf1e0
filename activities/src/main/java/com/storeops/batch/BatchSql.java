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
   * The snapshot of operation {@code :op}, the set its chunks walk: a row per chunk of {@code :size}
   * matched products in id order, with the ids of their matched variants (a {@code skus} filter
   * matches only some of a product's).
   */
  static final String SNAPSHOT_CHUNKS = MATCHED + """
      , numbered as (
        select product_id, variant_id, (dense_rank() over (order by product_id) - 1) / :size as chunk from matched)
      insert into batch_update_chunks (operation_id, chunk, product_ids, variant_ids)
      select :op, chunk, array_agg(distinct product_id order by product_id),
             coalesce(array_agg(variant_id order by variant_id) filter (where variant_id is not null), '{}')
      from numbered group by chunk""";

  /** A retried snapshot starts over: this clears what an earlier attempt recorded. */
  static final String DELETE_SNAPSHOT = "delete from batch_update_chunks where operation_id = :op";

  static final String COUNT_SNAPSHOT = """
      select coalesce(sum(cardinality(product_ids)), 0) from batch_update_chunks where operation_id = :op""";

  static final String COUNT_TO_REVERT = """
      select coalesce(sum(cardinality(product_ids)), 0) from batch_update_chunks
      where operation_id = :op and applied and not reverted""";

  /** Whether chunks are left to apply: tells "all done" from "the next chunk was taken by an overlapping attempt". */
  static final String ANY_TO_APPLY = """
      select exists (select 1 from batch_update_chunks where operation_id = :op and not applied)""";

  static final String ANY_TO_REVERT = """
      select exists (select 1 from batch_update_chunks where operation_id = :op and applied and not reverted)""";

  // The changes, on the variant {@code v} or product {@code p} being updated; a change not asked for
  // (its mode null) keeps the column's value.
  static final String NEW_PRICE = """
      case cast(:priceMode as text)
                      when 'SET' then cast(:price as numeric)
                      when 'PERCENT' then round(v.price * (100 + cast(:price as numeric)) / 100, 2)
                      when 'ADD' then v.price + cast(:price as numeric)
                      else v.price end""";

  static final String NEW_COMPARE_AT_PRICE = """
      case cast(:compareAtMode as text)
                      when 'SET' then cast(:compareAtPrice as numeric)
                      when 'CLEAR' then null
                      else v.compare_at_price end""";

  static final String NEW_INVENTORY = """
      case cast(:inventoryMode as text)
                      when 'SET' then cast(:inventory as integer)
                      when 'ADD' then coalesce(v.inventory_quantity, 0) + cast(:inventory as integer)
                      else v.inventory_quantity end""";

  /** Tags: added after the existing ones, no repeats, order kept; removed ones dropped. */
  static final String NEW_TAGS = """
      case when cast(:changeTags as boolean)
                     then array(select u.t from unnest(p.tags || cast(:addTags as text[])) with ordinality as u(t, i)
                                where u.t <> all(cast(:removeTags as text[])) group by u.t order by min(u.i))
                     else p.tags end""";

  static final String NEW_STATUS = "coalesce(cast(:newStatus as text), p.status)";

  /**
   * The next chunk not yet applied after chunk {@code :after}, in one statement: locks its row,
   * keeps the values its products and variants hold now (only of the fields the batch changes, as
   * arrays in id order), changes them — writing only rows whose values differ — and marks it
   * applied; answers the chunk and its product and variant counts, or no row when no chunk is left
   * (or an overlapping attempt has just applied it). Every part reads the statement's one snapshot,
   * and the chunk runs at REPEATABLE READ ({@link BatchUpdates}): a row another writer changed since
   * fails the statement rather than being changed from a value other than the one kept, so the kept
   * values are those the change replaces. A product or variant deleted since the
   * snapshot drops out of the chunk's ids, which then count what changed.
   */
  static final String APPLY_NEXT = """
      with chunk as (
        select chunk, product_ids, variant_ids from batch_update_chunks
        where operation_id = :op and chunk > :after and not applied
        order by chunk limit 1
        for update),
      old_variants as (
        select v.id, v.price, v.compare_at_price, v.inventory_quantity
        from chunk, product_variants v
        where v.id = any(chunk.variant_ids) and cast(:touchesVariants as boolean)),
      old_products as (
        select p.id, p.tags, p.status from chunk, products p where p.id = any(chunk.product_ids)),
      changed_variants as (
        update product_variants v
        set price = %1$s,
            compare_at_price = %2$s,
            inventory_quantity = %3$s,
            updated_at = now()
        from chunk
        where v.id = any(chunk.variant_ids) and cast(:touchesVariants as boolean)
          and (%1$s, %2$s, %3$s)
              is distinct from (v.price, v.compare_at_price, v.inventory_quantity)),
      changed_products as (
        update products p
        set tags = %4$s,
            status = %5$s,
            updated_at = now()
        from chunk
        where p.id = any(chunk.product_ids) and cast(:touchesProducts as boolean)
          and (%4$s, %5$s) is distinct from (p.tags, p.status)),
      kept as (
        update batch_update_chunks b
        set applied = true,
            product_ids = case when (select count(*) from old_products) = cardinality(b.product_ids) then b.product_ids
                          else (select coalesce(array_agg(o.id order by o.id), '{}') from old_products o) end,
            variant_ids = case when not cast(:touchesVariants as boolean)
                                 or (select count(*) from old_variants) = cardinality(b.variant_ids) then b.variant_ids
                          else (select coalesce(array_agg(o.id order by o.id), '{}') from old_variants o) end,
            prev_tags = case when cast(:changesTags as boolean)
                          then (select array_agg(cast(o.tags as text) order by o.id) from old_products o) end,
            prev_statuses = case when cast(:changesStatus as boolean)
                              then (select array_agg(o.status order by o.id) from old_products o) end,
            prev_prices = case when cast(:changesPrice as boolean)
                            then (select array_agg(o.price order by o.id) from old_variants o) end,
            prev_compare_at_prices = case when cast(:changesCompareAtPrice as boolean)
                                       then (select array_agg(o.compare_at_price order by o.id) from old_variants o) end,
            prev_inventories = case when cast(:changesInventory as boolean)
                                 then (select array_agg(o.inventory_quantity order by o.id) from old_variants o) end
        from chunk
        where b.operation_id = :op and b.chunk = chunk.chunk
        returning b.chunk, cardinality(b.product_ids) as products, cardinality(b.variant_ids) as variants)
      select chunk, products, variants from kept""".formatted(NEW_PRICE, NEW_COMPARE_AT_PRICE, NEW_INVENTORY, NEW_TAGS, NEW_STATUS);

  /**
   * The next applied chunk of the original {@code :op} not yet reverted, in one statement: puts back
   * only the fields the original changed (so later edits of other fields stay), writing only rows
   * whose values differ, and marks the chunk reverted; answers as {@link #APPLY_NEXT} does.
   */
  static final String REVERT_NEXT = """
      with chunk as (
        select chunk, product_ids, variant_ids, prev_tags, prev_statuses, prev_prices, prev_compare_at_prices, prev_inventories
        from batch_update_chunks
        where operation_id = :op and chunk > :after and applied and not reverted
        order by chunk limit 1
        for update),
      kept_variants as (
        select x.id, x.price, x.compare_at_price, x.inventory
        from chunk, unnest(chunk.variant_ids, chunk.prev_prices, chunk.prev_compare_at_prices, chunk.prev_inventories)
                    as x(id, price, compare_at_price, inventory)
        where cast(:touchesVariants as boolean)),
      kept_products as (
        select x.id, cast(x.tags as text[]) as tags, x.status
        from chunk, unnest(chunk.product_ids, chunk.prev_tags, chunk.prev_statuses) as x(id, tags, status)
        where cast(:touchesProducts as boolean)),
      reverted_variants as (
        update product_variants v
        set price = case when cast(:changesPrice as boolean) then x.price else v.price end,
            compare_at_price = case when cast(:changesCompareAtPrice as boolean) then x.compare_at_price else v.compare_at_price end,
            inventory_quantity = case when cast(:changesInventory as boolean) then x.inventory else v.inventory_quantity end,
            updated_at = now()
        from kept_variants x
        where v.id = x.id
          and (case when cast(:changesPrice as boolean) then x.price else v.price end,
               case when cast(:changesCompareAtPrice as boolean) then x.compare_at_price else v.compare_at_price end,
               case when cast(:changesInventory as boolean) then x.inventory else v.inventory_quantity end)
              is distinct from (v.price, v.compare_at_price, v.inventory_quantity)),
      reverted_products as (
        update products p
        set tags = case when cast(:changesTags as boolean) then x.tags else p.tags end,
            status = case when cast(:changesStatus as boolean) then x.status else p.status end,
            updated_at = now()
        from kept_products x
        where p.id = x.id
          and (case when cast(:changesTags as boolean) then x.tags else p.tags end,
               case when cast(:changesStatus as boolean) then x.status else p.status end)
              is distinct from (p.tags, p.status)),
      marked as (
        update batch_update_chunks b set reverted = true
        from chunk
        where b.operation_id = :op and b.chunk = chunk.chunk
        returning b.chunk, cardinality(b.product_ids) as products, cardinality(b.variant_ids) as variants)
      select chunk, products, variants from marked""";

  /**
   * The next products of a snapshot to push to Shopify, after {@code :after} in id order (chunks
   * hold consecutive products, each chunk's in order).
   */
  static final String PRODUCTS_TO_PUSH = """
      select x.id from batch_update_chunks c, unnest(c.product_ids) with ordinality as x(id, i)
      where c.operation_id = :op and c.product_ids[cardinality(c.product_ids)] > :after and x.id > :after
      order by c.chunk, x.i
      limit :size""";

  /** The snapshot's variants of those products: a {@code skus} filter matched only some of a product's. */
  static final String VARIANTS_TO_PUSH = """
      select v.id from batch_update_chunks c, product_variants v
      where c.operation_id = :op and c.product_ids && cast(:ids as bigint[])
        and v.product_id = any(cast(:ids as bigint[])) and v.id = any(c.variant_ids)
      order by v.id""";
}
