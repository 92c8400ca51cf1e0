-- Shopify's identities and every column of its product CSV.

-- A SKU is an attribute in Shopify, not a key: one SKU may sit on many variants of one product
-- (bundle and shipping-protection apps do this) and on variants of several products. Batch-update
-- filters and the sync still look variants up by SKU, so the index stays, without uniqueness.
drop index if exists product_variants_sku_key;
create index product_variants_sku_idx on product_variants (sku) where sku is not null and sku <> '';

-- A variant is its product plus its option values, as in Shopify. The import matches variants that
-- way (through product_variants_product_idx) and refuses a file that repeats a combination; no
-- unique index enforces it, so rows written before — several option-less variants of one product —
-- stay as they are instead of being renamed by a migration.

-- Shopify writes Variant Grams converted from the display unit (226.796185 for half a pound):
-- numeric keeps every digit and the file's scale, so an export writes back what was imported.
alter table product_variants alter column grams type numeric using grams::numeric;
alter table product_variants add constraint product_variants_grams_check check (grams is null or grams >= 0);

-- The common product columns of both header generations.
alter table products
    add column product_category text,
    add column seo_title        text,
    add column seo_description  text,
    add column gift_card        boolean,
    -- Everything else of the file, by its header: metafields "… (product.metafields.…)", Google
    -- Shopping, option "Linked To", market inclusion, and columns Shopify may add tomorrow.
    add column extra            jsonb not null default '{}';

alter table product_variants
    add column weight_unit         text,
    add column barcode             text,
    add column taxable             boolean,
    add column requires_shipping   boolean,
    add column cost_per_item       numeric(12,2),
    -- deny | continue (Shopify's "Continue selling when out of stock" FALSE | TRUE)
    add column inventory_policy    text,
    -- shopify, or null when Shopify does not track the variant's stock
    add column inventory_tracker   text,
    add column fulfillment_service text,
    add column image_src           text,
    -- Variant metafields, market prices, tax code, unit prices and unknown variant-row columns.
    add column extra               jsonb not null default '{}',
    add constraint product_variants_cost_check check (cost_per_item is null or cost_per_item >= 0);

-- A SKU repeated in an import file is a warning attached to the product that first uses it; a
-- refusal (a split product) still refuses the product.
alter table import_conflicts add column warning boolean not null default false;
