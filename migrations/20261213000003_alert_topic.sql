-- Analytics alerts get a topic of their own (they shared the weekly summary's, which
-- is off by default): on in the app and by mail, as for a new account, for everyone
-- (offered only to those who read the analytics).
insert into notification_preferences (user_id, kind, channel)
select u.id, 'alerts', c.channel
from users u
cross join (values ('in_app'), ('email')) as c (channel)
on conflict do nothing;
