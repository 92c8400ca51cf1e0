-- Webhook deliveries already applied, by X-Shopify-Event-Id (or X-Shopify-Webhook-Id): Shopify
-- delivers at least once, so a repeat is recognised here and ignored. Kept for a week.
create table shopify_webhook_deliveries (
    id           text        primary key,
    topic        text        not null,
    received_at  timestamptz not null default now()
);
