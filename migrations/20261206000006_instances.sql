-- The server instances running now, each seen every few seconds: an instance enforces
-- its share of a store-wide rate limit (searches, uploads, server functions, webhooks),
-- and the shares add up to the limit only when each knows how many there are.
create table instances (
    id uuid primary key,
    started_at timestamptz not null default now(),
    seen_at timestamptz not null default now()
);
