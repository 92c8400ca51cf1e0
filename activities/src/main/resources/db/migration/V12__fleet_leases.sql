-- One row per running storeops process: the connections its pool may open, held under a lease it
-- renews. A process that stops renewing (crashed, partitioned) stops counting once its lease ends.
create table fleet_leases (
    id          uuid        primary key,
    process     text        not null,
    pool_size   integer     not null check (pool_size > 0),
    joined_at   timestamptz not null default now(),
    expires_at  timestamptz not null
);
