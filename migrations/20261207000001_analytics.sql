-- Analytics (issue 20): what happens in the store, for the operator and each maker.
-- Raw events go to a table partitioned by day (UTC), written in batches by COPY and
-- kept for OPENAERO_ANALYTICS_RETENTION_DAYS (old partitions are dropped whole); the
-- hourly and daily rollups and each visitor's day are kept incrementally by the same
-- writes and kept for good; the dashboards read only those.
-- `domain::analytics::partitions` creates each day's partition ahead of time.
create table analytics_events (
    at timestamptz not null,
    kind text not null,
    -- For page views: which kind of page.
    page_kind text,
    -- A daily-rotating salted hash of the visitor's address and browser; never the address.
    visitor bytea,
    user_id uuid,
    product_id uuid,
    creator_id uuid,
    category_id uuid,
    quantity integer not null default 1,
    amount_minor bigint not null default 0,
    currency text,
    -- Where the visit came from: utm_source, else the referrer's host, else 'direct'.
    source text,
    utm_medium text,
    utm_campaign text,
    query text,
    constraint analytics_events_kind_check check (kind in (
        'page_view', 'product_view', 'search', 'add_to_cart', 'checkout_started',
        'order_paid', 'product_purchased', 'order_refunded', 'signup', 'creator_application', 'review_decided')),
    constraint analytics_events_page_kind_check check (page_kind in (
        'home', 'listing', 'search', 'product', 'maker', 'cart', 'checkout', 'account', 'other'))
) partition by range (at);

-- Block ranges, not rows: events arrive in time order, and this stays small.
create index analytics_events_at_idx on analytics_events using brin (at);

-- Facts taken from the outbox (an order paid, a refund …) are recorded once however
-- often their event is delivered: the first delivery claims the key here.
create table analytics_recorded_facts (
    key text primary key,
    recorded_at timestamptz not null default now()
);

-- The salt of each day's visitor hashes, shared by every instance. A day's salt is
-- deleted after the day, so its hashes cannot be recomputed from an address.
create table analytics_salts (
    day date primary key,
    salt bytea not null
);

-- Counts per hour and per day. Nulls are one value in the keys, so a page view of no
-- product has one row per hour, page kind and source. Amounts are kept per currency.
create table analytics_hourly (
    hour timestamptz not null,
    kind text not null,
    page_kind text,
    product_id uuid,
    creator_id uuid,
    category_id uuid,
    source text,
    currency text,
    events bigint not null,
    quantity bigint not null,
    amount_minor bigint not null,
    constraint analytics_hourly_key unique nulls not distinct
        (hour, kind, page_kind, product_id, creator_id, category_id, source, currency)
);

create table analytics_daily (
    day date not null,
    kind text not null,
    page_kind text,
    product_id uuid,
    creator_id uuid,
    category_id uuid,
    source text,
    currency text,
    events bigint not null,
    quantity bigint not null,
    amount_minor bigint not null,
    constraint analytics_daily_key unique nulls not distinct
        (day, kind, page_kind, product_id, creator_id, category_id, source, currency)
);

create index analytics_daily_creator_idx on analytics_daily (creator_id, day) where creator_id is not null;
create index analytics_daily_product_idx on analytics_daily (product_id, day) where product_id is not null;

-- Each visitor's day: when they came and went, how many visits (a new one after 30
-- minutes away) and views, and their account once they signed in. Visitor hashes
-- change every day, so a period's visitors are the sum of its days'.
create table analytics_visits (
    day date not null,
    visitor bytea not null,
    user_id uuid,
    first_at timestamptz not null,
    last_at timestamptz not null,
    sessions integer not null,
    views integer not null,
    primary key (day, visitor)
);

insert into permissions (name, description) values ('analytics.view', 'Read the store''s analytics');
insert into role_permissions (role, permission) values ('admin', 'analytics.view');
