-- A message from the platform to everyone holding a role, told a batch at a time at
-- its rate; `cursor` is the last person told (people are told in id order), so any
-- instance may take the next batch and a cancelled one stops where it was.
create table announcements (
    id uuid primary key,
    audience text not null,
    title_en text not null,
    body_en text not null,
    title_zh text not null,
    body_zh text not null,
    per_minute integer not null,
    status text not null default 'sending',
    cursor uuid,
    told integer not null default 0,
    total integer not null,
    created_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    next_batch_at timestamptz not null default now(),
    finished_at timestamptz,
    constraint announcements_status_check check (status in ('sending', 'cancelled', 'done')),
    constraint announcements_audience_check check (audience in ('customer', 'creator', 'reviewer', 'admin')),
    constraint announcements_rate_check check (per_minute between 1 and 10000)
);

create index announcements_sending_idx on announcements (next_batch_at) where status = 'sending';

-- Topics added since accounts were made are on for them as for a new account: the
-- review digest and listing alerts (offered only to those they concern) and
-- announcements, in the app and by mail.
insert into notification_preferences (user_id, kind, channel)
select u.id, k.kind, c.channel
from users u
cross join (values ('review_queue'), ('listings'), ('announcements')) as k (kind)
cross join (values ('in_app'), ('email')) as c (channel)
on conflict do nothing;
