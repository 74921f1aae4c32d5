-- The browsers each person signed in from, so a sign-in from a new one is told to them.
-- A device is a random id in a long-lived cookie; only its SHA-256 is kept.
create table user_devices (
    user_id uuid not null references users (id) on delete cascade,
    device_hash text not null,
    browser text not null,
    first_seen_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    primary key (user_id, device_hash)
);
