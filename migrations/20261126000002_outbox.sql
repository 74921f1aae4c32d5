-- The transactional outbox: domain events are inserted in the same transaction as
-- the change they describe, and a delivery row per subscribed handler is fanned out
-- with them. Dispatchers in any number of server instances claim deliveries with
-- FOR UPDATE SKIP LOCKED, so each delivery runs in one place at a time.

create table outbox_events (
    id uuid primary key,
    -- Global order, for consumers that follow the log with their own cursor.
    seq bigint generated always as identity,
    event_type text not null,
    aggregate_type text not null,
    aggregate_id text not null,
    aggregate_version bigint not null default 1,
    data jsonb not null,
    metadata jsonb not null,
    occurred_at timestamptz not null default now(),
    constraint outbox_events_seq_key unique (seq)
);
create index outbox_events_aggregate_idx on outbox_events (aggregate_type, aggregate_id);

create table event_deliveries (
    event_id uuid not null references outbox_events (id) on delete cascade,
    handler text not null,
    status text not null default 'pending',
    attempts int not null default 0,
    next_attempt_at timestamptz not null default now(),
    -- While a dispatcher works on a delivery it holds this lease; a crashed instance's
    -- lease runs out and another instance retries the delivery.
    locked_until timestamptz,
    last_error text,
    delivered_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (event_id, handler),
    constraint event_deliveries_status_check
        check (status in ('pending', 'delivered', 'dead')),
    constraint event_deliveries_attempts_check check (attempts >= 0)
);
create index event_deliveries_due_idx on event_deliveries (next_attempt_at)
    where status = 'pending';
create index event_deliveries_dead_idx on event_deliveries (updated_at desc)
    where status = 'dead';

-- Every mail the platform sends, with its delivery state. In development this is
-- also the mailbox a person reads to click verification links.
create table outgoing_mail (
    id uuid primary key,
    -- Makes a retried handler send a given mail at most once.
    dedupe_key text not null,
    to_address text not null,
    subject text not null,
    body_text text not null,
    status text not null default 'queued',
    error text,
    created_at timestamptz not null default now(),
    sent_at timestamptz,
    constraint outgoing_mail_dedupe_key unique (dedupe_key),
    constraint outgoing_mail_status_check check (status in ('queued', 'sent', 'stored', 'failed'))
);
create index outgoing_mail_created_idx on outgoing_mail (created_at desc);
