-- Alerts on the store's figures (issue 20 §4): a rule watches one figure over a
-- window of minutes ending now, optionally only between two hours of the day (UTC),
-- and the analytics team is told once when it crosses and once when it recovers.
-- `domain::analytics::alerts` checks every rule each minute, one instance at a time.
create table analytics_alert_rules (
    id uuid primary key,
    name text not null,
    metric text not null,
    comparison text not null,
    -- A count, or for a share a whole percent.
    threshold bigint not null,
    window_minutes integer not null,
    -- Watched from from_hour (included) to to_hour (excluded), UTC; null: all day.
    from_hour smallint,
    to_hour smallint,
    firing boolean not null default false,
    -- The figure at the last check, and when the rule last crossed or recovered.
    last_value bigint,
    checked_at timestamptz,
    changed_at timestamptz,
    created_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    constraint analytics_alert_rules_name_check check (char_length(name) between 1 and 80),
    constraint analytics_alert_rules_metric_check
        check (metric in ('paid_orders', 'refunds', 'page_views', 'checkouts_started', 'zero_result_share')),
    constraint analytics_alert_rules_comparison_check check (comparison in ('below', 'above')),
    constraint analytics_alert_rules_threshold_check check (threshold >= 0),
    constraint analytics_alert_rules_window_check check (window_minutes between 5 and 1440),
    constraint analytics_alert_rules_hours_check check (
        (from_hour is null and to_hour is null)
        or (from_hour between 0 and 23 and to_hour between 1 and 24 and from_hour < to_hour))
);
