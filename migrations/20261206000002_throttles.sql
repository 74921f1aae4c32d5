-- Attempts per key (an account, a client address, or both) for growing delays instead
-- of lockouts (domain::throttle). Replaces login_failures, which locked an account for
-- anyone who failed in its name.
create table throttles (
    key text primary key,
    attempts integer not null,
    next_allowed_at timestamptz not null,
    updated_at timestamptz not null default now()
);
create index throttles_updated_idx on throttles (updated_at);

drop table login_failures;
