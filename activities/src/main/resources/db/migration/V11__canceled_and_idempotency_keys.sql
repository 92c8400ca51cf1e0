-- The API speaks Temporal's spelling (PENDING | RUNNING | COMPLETED | FAILED | CANCELED); the table
-- now stores the same word, so there is one spelling from workflow to dashboard.
alter table operations drop constraint operations_status_check;
update operations set status = 'CANCELED' where status = 'CANCELLED';
alter table operations add constraint operations_status_check
    check (status in ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELED'));

-- Idempotency-Key of a POST that started an operation: a client retrying after a timeout gets the
-- same operation back instead of starting a second one. The fingerprint tells a retry from a reuse
-- of the key for a different request. Kept a day.
create table idempotency_keys (
    scope        text        not null,
    key          text        not null,
    fingerprint  text        not null,
    operation_id uuid,       -- null while the first request with the key is still starting
    created_at   timestamptz not null default now(),
    primary key (scope, key)
);
create index idempotency_keys_created_at_idx on idempotency_keys (created_at);
