-- One row per operation: the queryable summary behind GET /api/operations and the dashboard.
-- Temporal keeps the durable execution state; this table answers "what ran, how far, what failed".

create table operations (
    id               uuid        primary key,
    type             text        not null
                     check (type in ('SHOPIFY_SYNC', 'ICON_GENERATION', 'BATCH_UPDATE', 'IMPORT')),
    status           text        not null
                     check (status in ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    items_done       bigint      not null default 0,
    items_total      bigint,
    succeeded_count  bigint      not null default 0,
    failed_count     bigint      not null default 0,
    skipped_count    bigint      not null default 0,
    error            text,
    workflow_id      text        not null,
    run_id           text,
    parameters       jsonb       not null default '{}',
    created_at       timestamptz not null default now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    updated_at       timestamptz not null default now(),
    version          bigint      not null default 0
);
create index operations_created_at_idx on operations (created_at desc);
create index operations_type_status_idx on operations (type, status);
create unique index operations_workflow_id_key on operations (workflow_id);

-- Item-level problems that did not stop an operation (bad CSV rows, unreadable images, ...).
create table operation_errors (
    id            bigint generated always as identity primary key,
    operation_id  uuid        not null references operations (id) on delete cascade,
    location      text        not null,
    field         text,
    value         text,
    message       text        not null,
    created_at    timestamptz not null default now()
);
create index operation_errors_operation_idx on operation_errors (operation_id, id);
