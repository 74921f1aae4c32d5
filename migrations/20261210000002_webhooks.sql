-- Outgoing webhooks: endpoints that makers, customers and admins register for events,
-- and each event's delivery to each endpoint with its attempts. Deliveries are made
-- from the outbox (a handler writes them), so an event is sent once it is committed.

create table webhook_endpoints (
    id uuid primary key,
    owner_id uuid not null references users (id) on delete cascade,
    url text not null,
    description text not null default '',
    events text[] not null,
    -- The signing secret, sealed under the data key ring (the endpoint's id is the
    -- associated data).
    secret_key_id text not null,
    secret_sealed bytea not null,
    enabled boolean not null default true,
    disabled_reason text,
    -- Set by the first failed delivery after a success; an endpoint failing for days
    -- is switched off.
    failing_since timestamptz,
    created_at timestamptz not null default now(),
    constraint webhook_endpoints_url_length check (length(url) between 8 and 2000),
    constraint webhook_endpoints_events_check check (
        cardinality(events) > 0 and events <@ array[
            'order.paid', 'order.cancelled', 'sub_order.shipped', 'sub_order.delivered',
            'product.published', 'product.review_decided', 'payout.paid'
        ]::text[]
    )
);
create index webhook_endpoints_by_owner on webhook_endpoints (owner_id, created_at desc);

create table webhook_deliveries (
    id uuid primary key,
    endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
    -- The domain event it tells of: one delivery per endpoint and event.
    event_id uuid not null,
    event text not null,
    payload jsonb not null,
    status text not null default 'pending',
    attempts integer not null default 0,
    next_attempt_at timestamptz default now(),
    response_status integer,
    error text,
    created_at timestamptz not null default now(),
    delivered_at timestamptz,
    constraint webhook_deliveries_once unique (endpoint_id, event_id),
    constraint webhook_deliveries_status_check check (status in ('pending', 'succeeded', 'failed'))
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_by_endpoint on webhook_deliveries (endpoint_id, created_at desc);
