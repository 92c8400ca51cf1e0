-- A batch update's snapshot as one row per product: the ids of its matched variants and, once its
-- chunk has run, the values they held, as arrays in variant-id order. Measured on 100 000 variants
-- of 50 000 products, a row per variant cost more than the change itself: the snapshot wrote
-- 150 000 rows with a foreign-key check each, and every chunk rewrote each variant's row to keep
-- its values. Now the snapshot writes a row per product, and the chunk's mark keeps the variants'
-- values in the same row write.
alter table batch_update_products
    add column variant_ids            bigint[]        not null default '{}',
    add column prev_prices            numeric(12,2)[],
    add column prev_compare_at_prices numeric(12,2)[],
    add column prev_inventories       integer[];

update batch_update_products b
set variant_ids = x.ids, prev_prices = x.prices, prev_compare_at_prices = x.compare_at_prices,
    prev_inventories = x.inventories
from (select operation_id, product_id,
             array_agg(variant_id order by variant_id) as ids,
             array_agg(prev_price order by variant_id) as prices,
             array_agg(prev_compare_at_price order by variant_id) as compare_at_prices,
             array_agg(prev_inventory order by variant_id) as inventories
      from batch_update_variants group by operation_id, product_id) x
where b.operation_id = x.operation_id and b.product_id = x.product_id;

drop table batch_update_variants;

-- The foreign key to operations checked every snapshot row on its own (40 % of the snapshot's
-- time): nothing deletes operations, so its cascade never ran. Snapshot rows are written only by
-- the batch activities, for an operation they have just read.
alter table batch_update_products drop constraint if exists batch_update_products_operation_id_fkey;

-- Room on each page for the row's new version when its chunk marks it (applied, kept values) or
-- a revert does: the update stays on the page and adds no index entry.
alter table batch_update_products set (fillfactor = 50);
