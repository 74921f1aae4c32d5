-- The creator's product editor: pending changes to published products, and media
-- that come from uploaded files.

-- Changes to a published product wait here, whole, while the published version stays
-- live; approval copies them onto the product. One pending revision per product.
create table product_revisions (
    product_id uuid primary key references products (id) on delete cascade,
    data jsonb not null,
    status text not null default 'draft',
    feedback text,
    updated_at timestamptz not null default now(),
    constraint product_revisions_status_check check (status in ('draft', 'submitted', 'rejected'))
);

-- Why the last submission of a never-published product was turned down.
alter table products add column review_feedback text;

alter table product_media add column file_id uuid references files (id) on delete restrict;
create index product_media_file_idx on product_media (file_id) where file_id is not null;
