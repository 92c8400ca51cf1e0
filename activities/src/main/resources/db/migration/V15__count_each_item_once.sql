-- Each product an icon operation has counted, written in the product's own transaction with its
-- icons and the operation's counts: a retried batch whose heartbeats were lost comes back to
-- products it committed, finds them here, and counts nothing twice.
create table icon_operation_products (
    operation_id  uuid   not null references operations (id) on delete cascade,
    product_id    bigint not null,
    primary key (operation_id, product_id)
);

-- A scan's outcome, written once per import in the transaction that writes its chunk plan and its
-- conflicts. A scan attempt that Temporal gave up on but that still runs finds it and writes
-- nothing: a plan is never replaced, since loads may have committed chunks against it.
create table import_scans (
    operation_id    uuid    not null primary key references operations (id) on delete cascade,
    products        bigint  not null,
    chunk_products  integer not null,
    chunks          integer not null
);

-- Each scan attempt stages its keys apart, so an attempt still running cannot add its keys to
-- another attempt's check.
alter table import_keys add column attempt integer not null default 1;

-- Each chunk of a load reads the conflicts of its own products only.
drop index import_conflicts_operation_idx;
create index import_conflicts_operation_line_idx on import_conflicts (operation_id, product_line);
