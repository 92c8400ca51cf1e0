-- Imports load a file in parallel slices and check file-wide rules in the database, not in memory.

-- The chunk plan, written by the scan: where each chunk of products starts in the file (in
-- characters, and its line), so that each slice of a parallel load reads only its own chunks.
-- A chunk's counts are set in the chunk's own transaction: that is the checkpoint. Each slice skips
-- the chunks that have them, so a retried or restarted load neither loses nor doubles a chunk,
-- whatever order the slices committed in.
create table import_chunks (
    operation_id  uuid    not null references operations (id) on delete cascade,
    chunk         integer not null,
    first_char    bigint  not null,
    first_line    bigint  not null,
    imported      integer,
    skipped       integer,
    primary key (operation_id, chunk)
);

-- Every product's handle and SKUs, streamed in by the scan and dropped once the repeats are found.
-- Unlogged: a crash loses nothing that a retried scan does not rewrite.
create unlogged table import_keys (
    operation_id  uuid   not null,
    kind          text   not null,
    key           text   not null,
    handle        text   not null,
    product_line  bigint not null,
    line          bigint not null
);

-- Products refused for a repeat the scan found: read back by every slice of the load.
create table import_conflicts (
    operation_id  uuid   not null references operations (id) on delete cascade,
    product_line  bigint not null,
    line          bigint not null,
    field         text   not null,
    value         text,
    message       text   not null
);
create index import_conflicts_operation_idx on import_conflicts (operation_id);

-- CSV compresses well but is read once by the scan and once per slice: spend no CPU on compressing
-- parts that live for minutes.
alter table import_uploads alter column data set storage external;
