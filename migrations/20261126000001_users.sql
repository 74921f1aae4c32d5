-- Accounts, roles and permissions, profiles, preferences, single-use tokens,
-- login throttling and the admin audit log.

create table users (
    id uuid primary key,
    -- Stored lower-cased by the application, so a plain unique index is case-insensitive.
    email text not null,
    name text not null,
    password_hash text not null,
    is_active boolean not null default true,
    email_verified_at timestamptz,
    last_login_at timestamptz,
    locale text not null default 'en',
    bio text not null default '',
    location text not null default '',
    website text not null default '',
    social_links text[] not null default '{}',
    avatar_file_id uuid,
    -- Bumped when the password changes; sessions minted under an older epoch are void.
    auth_epoch integer not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint users_email_key unique (email),
    constraint users_email_lowercase check (email = lower(email)),
    constraint users_locale_check check (locale in ('en', 'zh')),
    constraint users_name_not_blank check (length(btrim(name)) > 0)
);

create table roles (
    name text primary key,
    description text not null
);

create table permissions (
    name text primary key,
    description text not null
);

create table role_permissions (
    role text not null references roles (name) on delete cascade,
    permission text not null references permissions (name) on delete cascade,
    primary key (role, permission)
);

create table user_roles (
    user_id uuid not null references users (id) on delete cascade,
    role text not null references roles (name),
    granted_by uuid references users (id) on delete set null,
    granted_at timestamptz not null default now(),
    primary key (user_id, role)
);

insert into roles (name, description) values
    ('customer', 'Buys products and rates them'),
    ('creator', 'Sells products through the creator portal'),
    ('reviewer', 'Reviews submissions and certifies products'),
    ('admin', 'Runs the platform');

insert into permissions (name, description) values
    ('creator.portal', 'Open the creator portal and manage own listings'),
    ('review.queue', 'Open the admin console and work the review queue'),
    ('users.manage', 'Find users and grant or revoke roles'),
    ('audit.read', 'Read the audit log'),
    ('events.manage', 'See and retry failed event deliveries');

insert into role_permissions (role, permission) values
    ('creator', 'creator.portal'),
    ('reviewer', 'review.queue'),
    ('admin', 'review.queue'),
    ('admin', 'users.manage'),
    ('admin', 'audit.read'),
    ('admin', 'events.manage');

-- One row per (kind, channel) that is switched on; absence means off.
create table notification_preferences (
    user_id uuid not null references users (id) on delete cascade,
    kind text not null,
    channel text not null,
    primary key (user_id, kind, channel),
    constraint notification_preferences_channel_check
        check (channel in ('in_app', 'email', 'sms', 'push'))
);

-- Email verification and password reset links. Only the SHA-256 of the token is
-- kept, so a database leak does not hand out working links.
create table user_tokens (
    token_hash bytea primary key,
    user_id uuid not null references users (id) on delete cascade,
    purpose text not null,
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null default now(),
    constraint user_tokens_purpose_check check (purpose in ('verify_email', 'reset_password'))
);
create index user_tokens_user_idx on user_tokens (user_id, purpose);

-- Failed logins, counted per account and per client address to throttle guessing.
-- Old rows are pruned by the server.
create table login_failures (
    id bigint generated always as identity primary key,
    email text not null,
    client_ip text,
    failed_at timestamptz not null default now()
);
create index login_failures_email_idx on login_failures (email, failed_at);
create index login_failures_ip_idx on login_failures (client_ip, failed_at);

-- Who did what to whom in the admin console. Rows are never updated or deleted.
create table audit_log (
    id bigint generated always as identity primary key,
    actor_id uuid references users (id) on delete set null,
    action text not null,
    target_type text not null,
    target_id text not null,
    details jsonb not null default '{}',
    created_at timestamptz not null default now()
);
create index audit_log_created_idx on audit_log (created_at desc);

-- Sessions, in the layout tower-sessions-sqlx-store expects.
create schema if not exists tower_sessions;
create table if not exists tower_sessions.session (
    id text primary key not null,
    data bytea not null,
    expiry_date timestamptz not null
);
