-- Each notice's delivery per channel: queued, then sent by its provider, then (when
-- the provider reports it) delivered or bounced; failed after its last attempt. The
-- content is kept so an admin can send it again; the key makes a redelivered event
-- queue nothing new.
create table notice_deliveries (
    id uuid primary key,
    notice_key text not null,
    user_id uuid not null references users (id) on delete cascade,
    kind text not null,
    channel text not null,
    status text not null default 'queued',
    attempts integer not null default 0,
    -- How many times it was queued: the first send and each resend (a mail's own
    -- once-only key includes it, so a resend is a new mail).
    sends integer not null default 1,
    provider_ref text,
    last_error text,
    summary text not null default '',
    payload jsonb not null default '{}',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint notice_deliveries_once unique (notice_key, channel),
    constraint notice_deliveries_channel_check check (channel in ('in_app', 'email', 'sms', 'push')),
    constraint notice_deliveries_status_check
        check (status in ('queued', 'sent', 'delivered', 'bounced', 'failed'))
);

create index notice_deliveries_user_idx on notice_deliveries (user_id, created_at desc, id desc);
create index notice_deliveries_recent_idx on notice_deliveries (created_at desc, id desc);
create index notice_deliveries_open_idx on notice_deliveries (status) where status in ('queued', 'failed');
create index notice_deliveries_provider_ref_idx on notice_deliveries (provider_ref) where provider_ref is not null;
