-- Rendered product icons, one row per product and size. source_hash names what they were made from
-- (the image's bytes, or the monogram's handle and title): an unchanged source is not redrawn.
create table product_icons (
    product_id   bigint      not null references products (id) on delete cascade,
    size         integer     not null,
    source_hash  text        not null,
    png          bytea       not null,
    created_at   timestamptz not null default now(),
    primary key (product_id, size)
);
