-- Text messages. A person's mobile number, used only once they proved it is theirs
-- with a code sent to it; the code waiting for them (its hash, how often it was
-- tried, until when it works, when it was sent, for the pause before another); and
-- the built-in SMS sandbox's record of what it carried and reported.
alter table users
    add column phone text,
    add column phone_verified_at timestamptz;

create table phone_codes (
    user_id uuid primary key references users (id) on delete cascade,
    phone text not null,
    code_hash text not null,
    attempts integer not null default 0,
    expires_at timestamptz not null,
    sent_at timestamptz not null default now()
);

create table sms_sandbox (
    sid text primary key,
    to_number text not null,
    body text not null,
    status text not null default 'pending',
    created_at timestamptz not null default now(),
    report_due_at timestamptz not null,
    constraint sms_sandbox_status_check check (status in ('pending', 'delivered', 'undelivered'))
);

create index sms_sandbox_due_idx on sms_sandbox (report_due_at) where status = 'pending';
