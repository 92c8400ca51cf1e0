-- Batch updates: the snapshot of what a batch update matched, and the values it replaced.

-- The matched products and variants, taken once when the operation starts: chunks walk these ids
-- in order, so products inserted meanwhile neither join nor shift a chunk. Each row keeps the
-- values it held just before its chunk changed them; `applied` (set in the chunk's transaction)
-- makes a retried chunk a no-op, and `reverted` does the same for the revert.
create table batch_update_products (
    operation_id  uuid    not null references operations (id) on delete cascade,
    product_id    bigint  not null,
    prev_tags     text[],
    prev_status   text,
    applied       boolean not null default false,
    reverted      boolean not null default false,
    primary key (operation_id, product_id)
);

create table batch_update_variants (
    operation_id           uuid    not null references operations (id) on delete cascade,
    variant_id             bigint  not null,
    product_id             bigint  not null,
    prev_price             numeric(12,2),
    prev_compare_at_price  numeric(12,2),
    prev_inventory         integer,
    primary key (operation_id, variant_id)
);
create index batch_update_variants_product_idx on batch_update_variants (operation_id, product_id);
