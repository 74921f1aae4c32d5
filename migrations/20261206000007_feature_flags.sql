-- Feature flags: on or off, for some roles, for a sticky share of users. Admins change
-- them in the console (each change audited and published as `flag.changed`); every
-- instance keeps a copy that follows the event log. Flags are retired, never deleted,
-- so the audit trail keeps its subject.
create table feature_flags (
    key text primary key,
    description text not null default '',
    enabled boolean not null default false,
    -- Empty: everyone; otherwise only users holding one of these roles.
    roles text[] not null default '{}',
    -- The share of users (or anonymous sessions) it is on for, sticky per person.
    percent smallint not null default 100,
    retired_at timestamptz,
    -- Counts changes: the version of each `flag.changed` event.
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint feature_flags_key_check check (key ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$' and length(key) <= 64),
    constraint feature_flags_percent_check check (percent between 0 and 100),
    constraint feature_flags_description_check check (length(description) <= 500)
);

-- The flag the storefront reads today, off until an admin rolls it out.
insert into feature_flags (key, description) values
    ('storefront.compact_phone_header', 'On phones, one header row: logo, search, cart and menu.');

insert into permissions (name, description) values ('flags.manage', 'List, create, change and retire feature flags');
insert into role_permissions (role, permission) values ('admin', 'flags.manage');
