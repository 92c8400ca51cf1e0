-- Shopify sync: a watermark per shop, and when each product was last seen by a sync.

-- The incremental sync asks Shopify for products updated at or after the watermark; it moves
-- forward only when a sync has written every page, so a failed sync is simply asked again.
create table shopify_sync_state (
    shop        text        primary key,
    watermark   timestamptz,
    updated_at  timestamptz not null default now()
);

-- A full sync stamps every product it writes; products with a Shopify id it did not stamp are gone
-- from the shop and are soft-deleted.
alter table products add column shopify_synced_at timestamptz;

-- One sync per shop at a time: a second trigger finds the running one through this index.
create unique index operations_one_sync_per_shop on operations ((parameters ->> 'shop'))
    where type = 'SHOPIFY_SYNC' and status in ('PENDING', 'RUNNING');
