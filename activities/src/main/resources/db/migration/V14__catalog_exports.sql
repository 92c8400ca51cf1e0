-- Catalogue exports: an operation type of their own, and the written file, kept in PostgreSQL in
-- parts of a few MB so that the worker writing it and the api serving it share nothing else.
alter table operations drop constraint operations_type_check;
alter table operations add constraint operations_type_check
    check (type in ('SHOPIFY_SYNC', 'ICON_GENERATION', 'BATCH_UPDATE', 'IMPORT', 'EXPORT'));

create table export_files (
    operation_id  uuid    not null references operations (id) on delete cascade,
    part          integer not null,
    data          bytea   not null,
    primary key (operation_id, part)
);
-- Written once, read once or twice: compressing CSV parts costs more CPU than the space is worth.
alter table export_files alter column data set storage external;
