-- The shop's catalogue, written by imports, syncs and batch updates alike.
-- Keys: a product is identified by its handle (Shopify's URL handle, unique per shop), a variant
-- by its SKU where it has one; Shopify ids are kept when the row came from (or went to) Shopify.

create table products (
    id            bigint generated always as identity primary key,
    handle        text        not null,
    shopify_id    bigint,
    title         text        not null,
    body_html     text,
    vendor        text,
    product_type  text,
    tags          text[]      not null default '{}',
    -- Option names live on the product (Shopify's Option1 Name ...), values on each variant.
    option1_name  text,
    option2_name  text,
    option3_name  text,
    status        text        not null default 'active'
                  check (status in ('active', 'draft', 'archived', 'unlisted')),
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    deleted_at    timestamptz,
    constraint products_handle_key unique (handle)
);
create unique index products_shopify_id_key on products (shopify_id) where shopify_id is not null;
create index products_updated_at_idx on products (updated_at);
create index products_vendor_idx on products (vendor);

create table product_variants (
    id                 bigint generated always as identity primary key,
    product_id         bigint        not null references products (id) on delete cascade,
    shopify_id         bigint,
    sku                text,
    position           integer       not null default 1,
    option1            text,
    option2            text,
    option3            text,
    price              numeric(12,2),
    compare_at_price   numeric(12,2),
    grams              integer,
    inventory_quantity integer,
    created_at         timestamptz   not null default now(),
    updated_at         timestamptz   not null default now(),
    constraint product_variants_price_check check (price is null or price >= 0),
    constraint product_variants_compare_at_check check (compare_at_price is null or compare_at_price >= 0)
);
-- SKUs are optional in Shopify, but when present they name one variant.
create unique index product_variants_sku_key on product_variants (sku) where sku is not null and sku <> '';
create unique index product_variants_shopify_id_key on product_variants (shopify_id) where shopify_id is not null;
create index product_variants_product_idx on product_variants (product_id);

create table product_images (
    id          bigint generated always as identity primary key,
    product_id  bigint      not null references products (id) on delete cascade,
    shopify_id  bigint,
    src         text        not null,
    position    integer     not null default 1,
    alt_text    text,
    created_at  timestamptz not null default now(),
    constraint product_images_src_key unique (product_id, src)
);
create unique index product_images_shopify_id_key on product_images (shopify_id) where shopify_id is not null;
