-- A notice caused by an event is written once however often the event is heard:
-- its key names the event and the person.
alter table notifications add column dedupe_key text;
create unique index notifications_dedupe_key on notifications (dedupe_key);
