-- The public API (/api/v1): personal access tokens, and the answers kept for
-- Idempotency-Key so a retried POST replays its first answer instead of acting twice.

create table api_tokens (
    id uuid primary key,
    user_id uuid not null references users (id) on delete cascade,
    name text not null,
    -- The secret's first characters, shown in the owner's list; the secret itself is
    -- kept only as its SHA-256.
    prefix text not null,
    token_hash bytea not null,
    scopes text[] not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz,
    last_used_at timestamptz,
    revoked_at timestamptz,
    constraint api_tokens_hash_key unique (token_hash),
    constraint api_tokens_name_length check (length(btrim(name)) between 1 and 80),
    constraint api_tokens_scopes_check check (
        cardinality(scopes) > 0 and scopes <@ array[
            'catalog:read', 'products:read', 'products:write', 'orders:read', 'orders:write',
            'orders:fulfil', 'payouts:read', 'payouts:write', 'webhooks:write',
            'admin:orders', 'admin:payouts', 'admin:review', 'admin:users'
        ]::text[]
    )
);
create index api_tokens_by_user on api_tokens (user_id, created_at desc);

-- One row per (user, key). `status` is null while the first request is still being
-- answered, so a second one with the same key waits its turn instead of acting.
create table api_idempotency (
    user_id uuid not null references users (id) on delete cascade,
    key text not null,
    -- SHA-256 of method, path and body: the same key with another request is refused.
    request_hash bytea not null,
    status smallint,
    body bytea,
    created_at timestamptz not null default now(),
    primary key (user_id, key),
    constraint api_idempotency_key_length check (length(key) between 1 and 255)
);
create index api_idempotency_by_age on api_idempotency (created_at);
