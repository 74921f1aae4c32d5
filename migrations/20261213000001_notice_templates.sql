-- The words of each notice, per kind × channel × language, as versions: the newest is
-- in use. Version 1 is the text from the code, written at start-up by whichever
-- instance comes first; admins add versions, and going back to an earlier one adds it
-- again as the newest (`restored_from`), so the history only grows.
create table notice_templates (
    kind text not null,
    channel text not null,
    locale text not null,
    version integer not null,
    subject text not null default '',
    body text not null,
    author_id uuid references users (id) on delete set null,
    restored_from integer,
    created_at timestamptz not null default now(),
    primary key (kind, channel, locale, version),
    constraint notice_templates_channel_check check (channel in ('in_app', 'email', 'sms', 'push')),
    constraint notice_templates_locale_check check (locale in ('en', 'zh')),
    constraint notice_templates_version_check check (version >= 1)
);
