-- Who hears which event, written by each instance at start-up from the handlers its
-- build registers; publishing an event fans it out to these rows in the same
-- statement, so the code that publishes knows no handler.
create table event_subscriptions (
    handler text not null,
    event_type text not null,
    primary key (event_type, handler)
);
