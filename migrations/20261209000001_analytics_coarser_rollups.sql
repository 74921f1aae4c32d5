-- Rollups each shaped for what reads them (issue 20 §6). The first rollups were keyed by
-- product × maker × category × source × page kind at once: 2.4 M hourly rows for 10 M
-- events, and a dashboard summed hundreds of thousands of them. Now:
-- - the store's counts per hour and per day, by kind, page kind, source and currency,
--   with no product (a few dozen rows an hour);
-- - each product's day: its funnel and its visitors, one row (a maker's and a
--   category's funnels are their products' summed, under the product's maker and
--   category of today);
-- - each maker's views per source and day;
-- - each day's visitors and visits, and the accounts seen signed in each day.
-- They are filled here from the first rollups, so no history is lost. The first
-- rollups are no longer written; they are dropped in a later release, once no
-- instance of this one's predecessor writes them.

create table analytics_store_hourly (
    hour timestamptz not null,
    kind text not null,
    page_kind text,
    source text,
    currency text,
    events bigint not null,
    quantity bigint not null,
    amount_minor bigint not null,
    constraint analytics_store_hourly_key unique nulls not distinct (hour, kind, page_kind, source, currency)
);

create table analytics_store_daily (
    day date not null,
    kind text not null,
    page_kind text,
    source text,
    currency text,
    events bigint not null,
    quantity bigint not null,
    amount_minor bigint not null,
    constraint analytics_store_daily_key unique nulls not distinct (day, kind, page_kind, source, currency)
);

-- Revenue is in the product's currency (a product is priced in one).
create table analytics_product_daily (
    day date not null,
    product_id uuid not null,
    views bigint not null default 0,
    visitors bigint not null default 0,
    adds bigint not null default 0,
    units bigint not null default 0,
    revenue_minor bigint not null default 0,
    primary key (day, product_id)
);

create table analytics_maker_sources (
    day date not null,
    creator_id uuid not null,
    source text,
    views bigint not null,
    constraint analytics_maker_sources_key unique nulls not distinct (creator_id, day, source)
);

create table analytics_days (
    day date primary key,
    visitors bigint not null,
    sessions bigint not null
);

create table analytics_active_users (
    day date not null,
    user_id uuid not null,
    primary key (day, user_id)
);
create index analytics_active_users_user_idx on analytics_active_users (user_id, day);

-- What the latest write of a visitor's day added (a new visitor, visits begun), so the
-- same statement keeps `analytics_days` exact without reading the row twice.
alter table analytics_visits
    add column added_visitor boolean not null default false,
    add column added_sessions integer not null default 0;

insert into analytics_store_hourly (hour, kind, page_kind, source, currency, events, quantity, amount_minor)
select hour, kind, page_kind, source, currency, sum(events), sum(quantity), sum(amount_minor)
from analytics_hourly group by 1, 2, 3, 4, 5;

insert into analytics_store_daily (day, kind, page_kind, source, currency, events, quantity, amount_minor)
select day, kind, page_kind, source, currency, sum(events), sum(quantity), sum(amount_minor)
from analytics_daily group by 1, 2, 3, 4, 5;

insert into analytics_product_daily (day, product_id, views, adds, units, revenue_minor)
select day, product_id,
       coalesce(sum(events) filter (where kind = 'product_view'), 0),
       coalesce(sum(events) filter (where kind = 'add_to_cart'), 0),
       coalesce(sum(quantity) filter (where kind = 'product_purchased'), 0),
       coalesce(sum(amount_minor) filter (where kind = 'product_purchased'), 0)
from analytics_daily
where product_id is not null and kind in ('product_view', 'add_to_cart', 'product_purchased')
group by 1, 2;

insert into analytics_product_daily as d (day, product_id, visitors)
select day, product_id, visitors from analytics_product_day_visitors
on conflict (day, product_id) do update set visitors = excluded.visitors;

insert into analytics_maker_sources (day, creator_id, source, views)
select day, creator_id, source, sum(events) from analytics_daily
where kind = 'product_view' and creator_id is not null group by 1, 2, 3;

insert into analytics_days (day, visitors, sessions)
select day, count(*), sum(sessions) from analytics_visits group by day;

insert into analytics_active_users (day, user_id)
select distinct day, user_id from analytics_visits where user_id is not null;
