-- Reports an admin keeps under a name (issue 20 §2): one of the console's reports and
-- its period, either fixed dates or the last N days, which move with the calendar.
create table analytics_saved_reports (
    id uuid primary key,
    owner_id uuid not null references users (id) on delete cascade,
    name text not null,
    section text not null,
    last_days integer,
    from_day date,
    to_day date,
    created_at timestamptz not null default now(),
    constraint analytics_saved_reports_name_key unique (owner_id, name),
    constraint analytics_saved_reports_section_check check (section in (
        'overview', 'shoppers', 'products', 'revenue', 'search')),
    constraint analytics_saved_reports_period_check check (
        (last_days between 1 and 366 and from_day is null and to_day is null)
        or (last_days is null and from_day <= to_day))
);
