-- Portfolio items: work a creator shows off (a custom build, a survey flown, a
-- prototype). They go through review like products; the approved version is kept
-- whole in `published`, so later edits wait for review while it stays on the public
-- creator page.

create table portfolio_items (
    id uuid primary key,
    creator_id uuid not null references creators (id) on delete cascade,
    title text not null,
    description text not null default '',
    category_id uuid references categories (id) on delete set null,
    status text not null default 'draft',
    feedback text,
    published jsonb,
    published_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint portfolio_items_status_check check (status in ('draft', 'submitted', 'approved', 'rejected', 'archived')),
    constraint portfolio_items_title_not_blank check (length(btrim(title)) > 0),
    constraint portfolio_items_published_pair_check check ((published is null) = (published_at is null))
);

create index portfolio_items_creator_idx on portfolio_items (creator_id, updated_at desc);
create index portfolio_items_public_idx on portfolio_items (creator_id, published_at desc)
    where published is not null and status <> 'archived';

-- The working version's pictures, videos and documents, in display order.
create table portfolio_media (
    item_id uuid not null references portfolio_items (id) on delete cascade,
    file_id uuid not null references files (id) on delete restrict,
    position integer not null,
    primary key (item_id, file_id)
);
