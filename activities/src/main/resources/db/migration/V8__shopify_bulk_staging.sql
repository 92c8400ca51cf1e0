-- A bulk export's JSONL, staged line by line while a full sync reads it: a product's variants and
-- images come after it but not next to it, so they are gathered here by parent rather than in the
-- worker's memory. Unlogged: a crash loses nothing a retried sync does not stage again.
create unlogged table shopify_bulk_lines (
    operation_id  uuid   not null,
    line          bigint not null,
    parent        bigint,
    doc           text   not null,
    primary key (operation_id, line)
);
create index shopify_bulk_lines_parent_idx on shopify_bulk_lines (operation_id, parent) where parent is not null;
