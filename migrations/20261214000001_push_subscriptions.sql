-- Web Push. Each browser a person subscribed: where its push service takes messages
-- for it (the endpoint, unique: a browser shows one account's notices), the keys its
-- messages are encrypted with (RFC 8291: p256dh, an uncompressed P-256 point, and the
-- 16-byte auth secret), what it called itself, and when it was last sent something.
create table push_subscriptions (
    id uuid primary key,
    user_id uuid not null references users (id) on delete cascade,
    endpoint text not null,
    p256dh bytea not null,
    auth bytea not null,
    device text not null,
    created_at timestamptz not null default now(),
    last_sent_at timestamptz,
    constraint push_subscriptions_endpoint_key unique (endpoint),
    constraint push_subscriptions_keys_check check (length(p256dh) = 65 and length(auth) = 16)
);

create index push_subscriptions_user_idx on push_subscriptions (user_id);
