-- What CSV imports need beyond the catalogue tables.

-- Shopify's "Published" column (legacy) / "Published on online store" (current export).
alter table products add column published boolean;

-- Uploaded files, staged in PostgreSQL so that the api and the worker need no shared filesystem.
-- Streamed in parts of a few MB; deleted when the import ends.
create table import_uploads (
    operation_id  uuid    not null references operations (id) on delete cascade,
    part          integer not null,
    data          bytea   not null,
    primary key (operation_id, part)
);
