-- Certification applications: a creator asks for a published product to be
-- certified; reviewers record test results on the application and grant a level
-- (a row in `certifications`, with the results copied to `certification_tests`) or
-- refuse it.

create table certification_applications (
    id uuid primary key,
    product_id uuid not null references products (id) on delete cascade,
    creator_id uuid not null references creators (id) on delete cascade,
    requested_level text not null,
    message text not null default '',
    status text not null default 'open',
    certification_id uuid references certifications (id) on delete set null,
    created_at timestamptz not null default now(),
    decided_at timestamptz,
    constraint certification_applications_level_check check (requested_level in ('basic', 'standard', 'premium')),
    constraint certification_applications_status_check check (status in ('open', 'granted', 'refused')),
    constraint certification_applications_decided_check check ((status = 'open') = (decided_at is null)),
    constraint certification_applications_granted_check check ((status = 'granted') = (certification_id is not null))
);

-- One open application per product at a time.
create unique index certification_applications_open_idx on certification_applications (product_id) where status = 'open';

create table certification_application_documents (
    application_id uuid not null references certification_applications (id) on delete cascade,
    file_id uuid not null references files (id) on delete restrict,
    position integer not null,
    primary key (application_id, file_id)
);

-- Results recorded by reviewers while they test, before the decision.
create table certification_results (
    id bigint generated always as identity primary key,
    application_id uuid not null references certification_applications (id) on delete cascade,
    test_name text not null,
    metric text not null,
    value numeric not null,
    unit text not null,
    passed boolean not null,
    tested_at timestamptz not null,
    recorded_by uuid references users (id) on delete set null,
    recorded_at timestamptz not null default now(),
    constraint certification_results_test_not_blank check (length(btrim(test_name)) > 0),
    constraint certification_results_metric_not_blank check (length(btrim(metric)) > 0)
);

create index certification_results_application_idx on certification_results (application_id, id);
