-- Addresses mail is no longer sent to, from the mail provider's reports: one that
-- bounced for good gets no more mail; one whose owner marked a mail as spam gets only
-- what cannot be switched off (account security).
create table mail_suppressions (
    address text primary key,
    reason text not null,
    detail text not null default '',
    created_at timestamptz not null default now(),
    constraint mail_suppressions_reason_check check (reason in ('bounced', 'complained'))
);
